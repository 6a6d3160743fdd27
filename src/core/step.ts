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
import type { State } from './state.ts';
import type { AgentEvent, Input, StepResult, TimerName } from './types.ts';

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
  const out = new Out();
  // The types rule these out; a caller in plain JavaScript or a parsed JSON input does not.
  // Only a non-object is checked up front: an unknown type reaches `handle`'s default, and
  // the four inputs with typed fields check them in their own case, so a well-formed input
  // pays nothing (bench/core.bench.ts).
  if (typeof input !== 'object' || input === null) {
    rejectMalformed(state, input, out);
    return { state, effects: out.effects };
  }
  const result = handle(state, input, out);
  if (result === undefined) return { state, effects: out.effects };
  if (typeof result === 'function') return { state: produce(state, result), effects: out.effects };
  return { state: result, effects: out.effects };
}

function handle(s: State, input: Input, out: Out): State | Recipe | undefined {
  switch (input.type) {
    case 'emit':
      return onEmit(s, input.event, out);
    case 'connect':
      if (s.phase !== 'connecting') return reject(s, input, out, 'already connected');
      out.push({ type: 'accept' });
      return changePhase(
        s.phase,
        { ...s, phase: 'accepting', timers: arm([], 'handshake', s.config.handshakeTimeoutMs, out) },
        'connect',
      );
    case 'acceptCompleted':
      if (s.phase !== 'accepting') return reject(s, input, out, 'no accept pending');
      out.cancelTimers(s.timers);
      out.push({ type: 'startAuth' });
      return changePhase(
        s.phase,
        { ...s, phase: 'authenticating', timers: arm([], 'auth', s.config.authTimeoutMs, out) },
        'acceptCompleted',
      );
    case 'authSucceeded':
      if (malformedInput(input) !== undefined) return rejectMalformed(s, input, out);
      if (s.phase !== 'authenticating') return reject(s, input, out, 'no authentication pending');
      out.cancelTimers(s.timers);
      out.push({ type: 'prepareServices' });
      return changePhase(
        s.phase,
        {
          ...s,
          phase: 'preparing',
          userId: input.userId,
          timers: arm([], 'prepare', s.config.prepareTimeoutMs, out),
        },
        'authSucceeded',
      );
    case 'authFailed':
      if (s.phase !== 'authenticating') return reject(s, input, out, 'no authentication pending');
      return toClosing(s, 'authFailed', 1008, 'authentication failed', 'authFailed', out);
    case 'servicesReady':
      if (s.phase !== 'preparing') return reject(s, input, out, 'no preparation pending');
      return enterReady(s, out);
    case 'sendCompleted':
      if ((s.phase !== 'ready' && s.phase !== 'closing') || s.inFlight.length === 0) {
        return reject(s, input, out, 'no send in flight');
      }
      return s.phase === 'ready' ? completeSend(s, out) : completeClosingSend(s, out);
    case 'sendFailed':
      if (s.phase !== 'ready' && s.phase !== 'closing') return reject(s, input, out, 'no send in flight');
      return toClosed(s, 'sendFailed', out);
    case 'appClose':
      if (malformedInput(input) !== undefined) return rejectMalformed(s, input, out);
      if (!isValidCloseCode(input.code))
        return reject(s, input, out, `close code ${input.code} is not allowed`);
      if (!isValidCloseReason(input.reason))
        return reject(s, input, out, 'close reason longer than 123 bytes');
      if (s.phase === 'closing' || s.phase === 'closed') return reject(s, input, out, 'already closing');
      return toClosing(s, 'appClose', input.code, input.reason, 'closed', out);
    case 'peerClose':
    case 'transportError':
      if (s.phase === 'closed') return reject(s, input, out, 'already closed');
      return toClosed(s, input.type, out);
    case 'closeCompleted':
      if (s.phase !== 'closing') return reject(s, input, out, 'no close pending');
      return toClosed(s, 'closeCompleted', out);
    case 'timerFired':
      if (malformedInput(input) !== undefined) return rejectMalformed(s, input, out);
      return onTimer(s, input.name, out);
    case 'pong':
      if (malformedInput(input) !== undefined) return rejectMalformed(s, input, out);
      if (s.phase !== 'ready') return reject(s, input, out, 'no heartbeat running');
      if (input.nonce < 1 || input.nonce > s.heartbeat.nonce)
        return reject(s, input, out, 'unknown ping nonce');
      if (s.heartbeat.missed === 0) return undefined;
      return (draft) => {
        if (draft.phase === 'ready') draft.heartbeat.missed = 0;
      };
    default:
      // An input whose type is none of the core's (the types rule it out).
      if (malformedInput(input) !== undefined) return rejectMalformed(s, input, out);
      return assertNever(input);
  }
}

/** Answers an input that is not an `Input` with a `rejected` effect, the state unchanged. */
function rejectMalformed(s: State, input: unknown, out: Out): undefined {
  const malformed = malformedInput(input);
  if (malformed !== undefined) out.reject(malformed.input, s.phase, malformed.reason);
  return undefined;
}

function onEmit(s: State, event: AgentEvent, out: Out): State | undefined {
  if (
    typeof event !== 'object' ||
    event === null ||
    typeof event.id !== 'string' ||
    typeof event.type !== 'string'
  ) {
    out.outcome(String((event as { id?: unknown } | null)?.id), { kind: 'refused', reason: 'invalid' });
    return undefined;
  }
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

function onTimer(s: State, name: TimerName, out: Out): State | Recipe | undefined {
  const input: Input = { type: 'timerFired', name };
  if (!timersOf(s).includes(name)) return reject(s, input, out, `timer ${name} is not pending`);
  const timers = timersOf(s).filter((t) => t !== name);
  if (name === 'handshake' && s.phase === 'accepting') {
    return toClosing({ ...s, timers }, 'timer:handshake', 1011, 'handshake timeout', 'closed', out);
  }
  if (name === 'auth' && s.phase === 'authenticating') {
    return toClosing({ ...s, timers }, 'timer:auth', 1008, 'authentication timeout', 'authFailed', out);
  }
  if (name === 'prepare' && s.phase === 'preparing') {
    return toClosing({ ...s, timers }, 'timer:prepare', 1011, 'services not ready', 'closed', out);
  }
  if (name === 'closeHandshake' && s.phase === 'closing')
    return toClosed({ ...s, timers }, 'timer:closeHandshake', out);
  if (name === 'batchFlush' && s.phase === 'ready') return flushBatchTimer({ ...s, timers }, out);
  if (name === 'heartbeat' && s.phase === 'ready') {
    if (s.heartbeat.missed >= s.config.missedPongLimit) {
      return toClosing({ ...s, timers }, 'timer:heartbeat', 1011, 'heartbeat timeout', 'closed', out);
    }
    // Stays in ready: plain bookkeeping, so the draft is mutated (the timer is re-armed, list unchanged).
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
  return reject(s, input, out, `timer ${name} does not apply in ${s.phase}`);
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
