/**
 * The lifecycle reducer: `step(state, input) -> { state, effects }`.
 */
import { Immer, type Draft } from 'immer';
import { assertNever } from './assertNever.ts';
import { offerEvent } from './buffer.ts';
import { isValidCloseCode, isValidCloseReason } from './closeCodes.ts';
import { changePhase, timersOf, toClosed, toClosing } from './exits.ts';
import { malformedInput } from './inputShape.ts';
import { Out } from './out.ts';
import { completeSend, emitReady, enterReady, flushBatchTimer } from './ready.ts';
import type { ClosedState, ClosingState, ReadyState, State } from './state.ts';
import {
  acceptedTriggers,
  referenceTable,
  type AcceptedTriggers,
  type TransitionTable,
  type Trigger,
} from './transitions.ts';
import type { AgentEvent, Input, Phase, StepResult, TimerName } from './types.ts';

/**
 * A case handler that stays in its phase and only adjusts bookkeeping: it mutates the immer
 * draft it is given and returns nothing.
 */
type Recipe = (draft: Draft<State>) => void;

/**
 * The core's own immer, without auto-freeze: a recipe's state is not frozen, like every
 * other state `step` returns (their types are readonly). Freezing each heartbeat's state was
 * 6-8% of the simulation over a fresh process's first 4,000 lan runs, and a check's worker is
 * such a process (bench/check.bench.ts, 2,500 runs: 1.08x); once the JIT is warm the
 * difference is within noise (bench/sim.bench.ts: 1.00x). A private instance leaves the global immer settings of the
 * application that imports the core alone.
 */
const { produce } = new Immer({ autoFreeze: false });

/**
 * Advances one connection's lifecycle by one input. Pure: no clock, no I/O; actions leave
 * as effect data for a driver to execute, in order.
 *
 * A case handler either returns a new state (every phase change, every buffer, batch or
 * in-flight change), or returns a `Recipe` that mutates an immer draft (heartbeat and pong
 * bookkeeping), never both; `undefined` means "unchanged". The one immer `produce` is here,
 * at the boundary, and runs only for recipes: wrapping every step in `produce` cost 16x the
 * steps per second of a plain reducer (bench/core.bench.ts), and handlers that build a new
 * value gain nothing from a draft. Every phase change passes `changePhase`, which asserts
 * the edge is in the transition table. An input the phase does not accept yields a
 * `rejected` effect and the very same state object, and so does an input that is not an
 * `Input` at all (an unknown `type`, a missing field: a caller without the types), with
 * `input: 'unknown'` when its type is not one of the core's. Every `emit` yields exactly one
 * `outcome` effect, in this step or a later one.
 *
 * Driver contract (docs/core.md): execute effects in order; once the state is `closed`,
 * drop socket operations issued earlier that have not started (their events are already
 * settled as `undeliverable('closed')`).
 *
 * @example
 * let s = initial(defaultConfig);
 * ({ state: s } = step(s, { type: 'connect' })); // effects: accept, setTimer handshake
 * phaseOf(s); // 'accepting'
 */
export function step(state: State, input: Input): StepResult<State> {
  return stepIn(referenceAccepted, state, input);
}

/** What each phase of the reference table accepts, computed once. */
const referenceAccepted = acceptedTriggers(referenceTable);

/**
 * `step` under another transition table: a phase accepts exactly what `table` says (an edge
 * out of it or a stay), every other input is rejected. The table can take away what the
 * reference accepts; accepting more needs a handler here (without one, step throws, naming
 * the phase and trigger), and every phase change still passes `changePhase`'s reference check.
 * For tests that show the table decides.
 */
export function stepWith(table: TransitionTable): (state: State, input: Input) => StepResult<State> {
  const accepted = acceptedTriggers(table);
  return (state, input) => stepIn(accepted, state, input);
}

function stepIn(accepted: AcceptedTriggers, state: State, input: Input): StepResult<State> {
  const out = new Out();
  // The types rule these out; a caller in plain JavaScript or a parsed JSON input does not.
  // Only a non-object is checked up front: an unknown type reaches `answeredByShape`'s
  // default, and the four inputs with typed fields check them in their own case, so a
  // well-formed input pays nothing (bench/core.bench.ts).
  if (typeof input !== 'object' || input === null) {
    rejectedMalformed(state, input, out);
    return { state, effects: out.effects };
  }
  const result = handle(accepted, state, input, out);
  if (result === undefined) return { state, effects: out.effects };
  if (typeof result === 'function') return { state: produce(state, result), effects: out.effects };
  return { state: result, effects: out.effects };
}

/**
 * One input: first what its shape alone decides (malformed, an invalid event or close code,
 * a timer not pending), then whether the phase accepts it, which the table alone decides,
 * then what it does.
 */
function handle(accepted: AcceptedTriggers, s: State, input: Input, out: Out): State | Recipe | undefined {
  // The common input takes its own short path: an invalid event is refused, then the table.
  if (input.type === 'emit') {
    if (refusedEvent(input.event, out)) return undefined;
    if (accepted[s.phase].emit !== true) return reject(s, input, out, notAcceptedReason(s, input));
    return onEmit(s, input.event, out);
  }
  if (answeredByShape(s, input, out)) return undefined;
  const trigger = input.type === 'timerFired' ? timerTriggers[input.name] : input.type;
  if (accepted[s.phase][trigger] !== true) return reject(s, input, out, notAcceptedReason(s, input));
  return act(s, input, out);
}

/** The trigger of each timer firing, built once (`triggerOf` without a string per step). */
const timerTriggers: Readonly<Record<TimerName, Trigger>> = {
  handshake: 'timer:handshake',
  auth: 'timer:auth',
  prepare: 'timer:prepare',
  heartbeat: 'timer:heartbeat',
  batchFlush: 'timer:batchFlush',
  closeHandshake: 'timer:closeHandshake',
};

/** The reason a phase that does not accept an input gives in its `rejected` effect. */
const notAccepted: Readonly<Record<Exclude<Input['type'], 'timerFired'>, string>> = {
  emit: 'no events taken',
  connect: 'already connected',
  acceptCompleted: 'no accept pending',
  authSucceeded: 'no authentication pending',
  authFailed: 'no authentication pending',
  servicesReady: 'no preparation pending',
  sendCompleted: 'no send in flight',
  sendFailed: 'no send in flight',
  appClose: 'already closing',
  peerClose: 'already closed',
  transportError: 'already closed',
  closeCompleted: 'no close pending',
  pong: 'no heartbeat running',
};

function notAcceptedReason(s: State, input: Input): string {
  return input.type === 'timerFired'
    ? `timer ${input.name} does not apply in ${s.phase}`
    : notAccepted[input.type];
}

/**
 * Answers what the input's shape alone decides, in any phase: a malformed input is rejected,
 * an invalid close code or reason rejected, a timer that is not pending rejected. True when answered (the effect is out), false to go on to the table.
 */
function answeredByShape(s: State, input: NotEmit, out: Out): boolean {
  switch (input.type) {
    case 'authSucceeded':
    case 'pong':
      return rejectedMalformed(s, input, out);
    case 'appClose':
      return rejectedMalformed(s, input, out) || rejectedFor(s, input, out, invalidClose(input));
    case 'timerFired':
      return (
        rejectedMalformed(s, input, out) ||
        rejectedFor(
          s,
          input,
          out,
          timersOf(s).includes(input.name) ? null : `timer ${input.name} is not pending`,
        )
      );
    case 'connect':
    case 'acceptCompleted':
    case 'authFailed':
    case 'servicesReady':
    case 'sendCompleted':
    case 'sendFailed':
    case 'peerClose':
    case 'transportError':
    case 'closeCompleted':
      return false;
    default:
      // An input whose type is none of the core's (the types rule it out).
      return rejectedMalformed(s, input, out) || assertNever(input);
  }
}

/** Why an `appClose`'s code or reason is not allowed, or null when both are. */
function invalidClose(input: Extract<Input, { type: 'appClose' }>): string | null {
  if (!isValidCloseCode(input.code)) return `close code ${input.code} is not allowed`;
  if (!isValidCloseReason(input.reason)) return 'close reason longer than 123 bytes';
  return null;
}

/** Rejects `input` with `reason` unless it is null; true when it did. */
function rejectedFor(s: State, input: Input, out: Out, reason: string | null): boolean {
  if (reason === null) return false;
  out.reject(input.type, s.phase, reason);
  return true;
}

/** Every input but `emit`, which `handle` answers on its own path. */
type NotEmit = Exclude<Input, { type: 'emit' }>;

/** What an input the phase accepts does. */
function act(s: State, input: NotEmit, out: Out): State | Recipe | undefined {
  switch (input.type) {
    case 'connect':
      return connect(inPhase(s, 'connecting', input.type), out);
    case 'acceptCompleted':
      return acceptCompleted(inPhase(s, 'accepting', input.type), out);
    case 'authSucceeded':
      return authSucceeded(inPhase(s, 'authenticating', input.type), input.userId, out);
    case 'authFailed':
      return toClosing(open(s, input.type), 'authFailed', 1008, 'authentication failed', 'authFailed', out);
    case 'servicesReady':
      return enterReady(inPhase(s, 'preparing', input.type), out);
    case 'sendCompleted':
      return onSendCompleted(s, input, out);
    case 'sendFailed':
    case 'peerClose':
    case 'transportError':
    case 'closeCompleted':
      return toClosed(live(s, input.type), input.type, out);
    case 'appClose':
      return toClosing(open(s, input.type), 'appClose', input.code, input.reason, 'closed', out);
    case 'timerFired':
      return onTimer(s, input.name, out);
    case 'pong':
      return onPong(inPhase(s, 'ready', input.type), input, out);
    default:
      return assertNever(input);
  }
}

type InPhase<P extends Phase> = Extract<State, { phase: P }>;

/**
 * `s` as the one phase whose handler `trigger` has. The table decided the phase accepts
 * `trigger`; a table that accepts it elsewhere has no handler here, a bug: throws.
 */
function inPhase<P extends Phase>(s: State, phase: P, trigger: Trigger): InPhase<P> {
  if (s.phase !== phase) unhandled(s, trigger);
  return s as InPhase<P>;
}

/** `s` as a phase that can still close (not closing, not closed), else as `inPhase`. */
function open(s: State, trigger: Trigger): Exclude<State, ClosingState | ClosedState> {
  if (s.phase === 'closing' || s.phase === 'closed') unhandled(s, trigger);
  return s as Exclude<State, ClosingState | ClosedState>;
}

/** `s` as a phase that is not closed, else as `inPhase`. */
function live(s: State, trigger: Trigger): Exclude<State, ClosedState> {
  if (s.phase === 'closed') unhandled(s, trigger);
  return s as Exclude<State, ClosedState>;
}

function unhandled(s: State, trigger: Trigger): never {
  throw new Error(`core bug: the table accepts ${trigger} in ${s.phase}, which step has no handler for`);
}

function connect(s: InPhase<'connecting'>, out: Out): State {
  out.push({ type: 'accept' });
  return changePhase(
    s.phase,
    { ...s, phase: 'accepting', timers: arm([], 'handshake', s.config.handshakeTimeoutMs, out) },
    'connect',
  );
}

function acceptCompleted(s: InPhase<'accepting'>, out: Out): State {
  out.cancelTimers(s.timers);
  out.push({ type: 'startAuth' });
  return changePhase(
    s.phase,
    { ...s, phase: 'authenticating', timers: arm([], 'auth', s.config.authTimeoutMs, out) },
    'acceptCompleted',
  );
}

function authSucceeded(s: InPhase<'authenticating'>, userId: string, out: Out): State {
  out.cancelTimers(s.timers);
  out.push({ type: 'prepareServices' });
  return changePhase(
    s.phase,
    { ...s, phase: 'preparing', userId, timers: arm([], 'prepare', s.config.prepareTimeoutMs, out) },
    'authSucceeded',
  );
}

/** `sendCompleted`: the oldest send in flight completed, in ready or while closing. */
function onSendCompleted(s: State, input: Input, out: Out): State | undefined {
  if (!('inFlight' in s) || s.inFlight.length === 0) return reject(s, input, out, 'no send in flight');
  return s.phase === 'ready'
    ? completeSend(s, out)
    : completeClosingSend(inPhase(s, 'closing', 'sendCompleted'), out);
}

/** `pong`: a ping sent (1 <= nonce <= last nonce) resets the missed count. */
function onPong(s: ReadyState, input: Extract<Input, { type: 'pong' }>, out: Out): Recipe | undefined {
  if (input.nonce < 1 || input.nonce > s.heartbeat.nonce) return reject(s, input, out, 'unknown ping nonce');
  if (s.heartbeat.missed === 0) return undefined;
  return (draft) => {
    if (draft.phase === 'ready') draft.heartbeat.missed = 0;
  };
}

/** Answers an input that is not an `Input` with a `rejected` effect; true when it is not one. */
function rejectedMalformed(s: State, input: unknown, out: Out): boolean {
  const malformed = malformedInput(input);
  if (malformed === undefined) return false;
  out.reject(malformed.input, s.phase, malformed.reason);
  return true;
}

/** An emit whose event is not `{ id: string, type: string }` is refused as invalid (true). */
function refusedEvent(event: AgentEvent, out: Out): boolean {
  if (
    typeof event !== 'object' ||
    event === null ||
    typeof event.id !== 'string' ||
    typeof event.type !== 'string'
  ) {
    out.outcome(String((event as { id?: unknown } | null)?.id), { kind: 'refused', reason: 'invalid' });
    return true;
  }
  return false;
}

function onEmit(s: State, event: AgentEvent, out: Out): State | undefined {
  const critical = s.config.criticalTypes.includes(event.type);
  switch (s.phase) {
    case 'connecting':
    case 'accepting':
    case 'authenticating':
    case 'preparing': {
      const offered = offerEvent(s.buffer, event, critical, s.config.capacity);
      for (const { eventId, outcome } of offered.settled) out.outcome(eventId, outcome);
      return offered.buffer === s.buffer ? undefined : { ...s, buffer: offered.buffer };
    }
    case 'ready':
      return emitReady(s, event, critical, out);
    case 'closing':
    case 'closed':
      out.outcome(event.id, { kind: 'undeliverable', reason: 'closed' });
      return undefined;
    default:
      return assertNever(s);
  }
}

/**
 * A pending timer fired in a phase the table lets it act in: each timer's handler. The timer
 * leaves the state's list first, so leaving the phase does not cancel it.
 */
function onTimer(s: State, name: TimerName, out: Out): State | Recipe | undefined {
  const timers = timersOf(s).filter((t) => t !== name);
  const trigger = timerTriggers[name];
  switch (name) {
    case 'handshake':
      return toClosing(
        { ...inPhase(s, 'accepting', trigger), timers },
        trigger,
        1011,
        'handshake timeout',
        'closed',
        out,
      );
    case 'auth':
      return toClosing(
        { ...inPhase(s, 'authenticating', trigger), timers },
        trigger,
        1008,
        'authentication timeout',
        'authFailed',
        out,
      );
    case 'prepare':
      return toClosing(
        { ...inPhase(s, 'preparing', trigger), timers },
        trigger,
        1011,
        'services not ready',
        'closed',
        out,
      );
    case 'closeHandshake':
      return toClosed({ ...inPhase(s, 'closing', trigger), timers }, trigger, out);
    case 'batchFlush':
      return flushBatchTimer({ ...inPhase(s, 'ready', trigger), timers }, out);
    case 'heartbeat':
      return onHeartbeat(inPhase(s, 'ready', trigger), timers, out);
    default:
      return assertNever(name);
  }
}

/**
 * The heartbeat fired in ready: to closing once `missedPongLimit` pings went unanswered,
 * else a new ping and the timer re-armed (plain bookkeeping, so the draft is mutated; the
 * timer list is unchanged).
 */
function onHeartbeat(s: ReadyState, timers: readonly TimerName[], out: Out): State | Recipe {
  if (s.heartbeat.missed >= s.config.missedPongLimit) {
    return toClosing({ ...s, timers }, 'timer:heartbeat', 1011, 'heartbeat timeout', 'closed', out);
  }
  const nonce = s.heartbeat.nonce + 1;
  out.push({ type: 'send', frame: { kind: 'ping', nonce } });
  out.push({ type: 'setTimer', name: 'heartbeat', ms: s.config.heartbeatIntervalMs });
  return (draft) => {
    if (draft.phase !== 'ready') return;
    draft.heartbeat.nonce = nonce;
    draft.heartbeat.missed += 1;
    draft.inFlight.push({ kind: 'ping', nonce });
  };
}

/** `sendCompleted` while closing: the oldest in-flight send completed; nothing new is sent. */
function completeClosingSend(s: Extract<State, { phase: 'closing' }>, out: Out): State {
  const [done, ...inFlight] = s.inFlight;
  if (done?.kind === 'data') {
    for (const { seq, eventId } of done.events) out.outcome(eventId, { kind: 'delivered', seq });
  }
  return { ...s, inFlight };
}

/** Arms a deadline unless its timeout is 0 (disabled). */
function arm(timers: readonly TimerName[], name: TimerName, ms: number, out: Out): readonly TimerName[] {
  return ms > 0 ? out.setTimer(timers, name, ms) : timers;
}

function reject(s: State, input: Input, out: Out, reason: string): undefined {
  out.reject(input.type, s.phase, reason);
  return undefined;
}
