/**
 * Phase changes: the one gate every change passes (`changePhase`), and the two exits
 * every phase shares (`toClosing`, `toClosed`). Internal to the core.
 */
import type { Out } from './out.ts';
import { initialSequencer } from './sequencer.ts';
import type { ClosedState, ClosingState, InFlight, State } from './state.ts';
import { isTransitionOn, type Trigger } from './transitions.ts';
import type { Outcome, Phase, TimerName } from './types.ts';

/**
 * The one gate of every phase change: asserts the edge `from -> next.phase` on `trigger`
 * is in the transition table (P4), then returns `next`. A change missing from the table is
 * a bug in the core, so it throws rather than answering `rejected`.
 */
export function changePhase<S extends State>(from: Phase, next: S, trigger: Trigger): S {
  if (!isTransitionOn(from, next.phase, trigger)) {
    throw new Error(`core bug: ${from} -> ${next.phase} on ${trigger} is not in the transition table`);
  }
  return next;
}

/** Timers a state holds (connecting and closed hold none). */
export function timersOf(state: State): readonly TimerName[] {
  return 'timers' in state ? state.timers : [];
}

/** Settles every event the state still holds but has not sent: buffer and open batch. */
function settleUnsent(state: State, reason: 'closed' | 'authFailed', out: Out): void {
  const outcome: Outcome = { kind: 'undeliverable', reason };
  if ('buffer' in state) for (const item of state.buffer.items) out.outcome(item.event.id, outcome);
  if (state.phase === 'ready' && state.batch !== null)
    for (const event of state.batch) out.outcome(event.id, outcome);
}

function inFlightOf(state: State): readonly InFlight[] {
  return 'inFlight' in state ? state.inFlight : [];
}

/**
 * Leaves `state` for `closing`: cancels its timers, settles unsent events as
 * `undeliverable(lostReason)`, asks for the close frame and arms the close-handshake
 * deadline. In-flight sends are kept: they still complete or fail.
 */
export function toClosing(
  state: Exclude<State, ClosingState | ClosedState>,
  trigger: Trigger,
  code: number,
  reason: string,
  lostReason: 'closed' | 'authFailed',
  out: Out,
): ClosingState {
  out.cancelTimers(timersOf(state));
  settleUnsent(state, lostReason, out);
  out.push({ type: 'close', code, reason });
  const ms = state.config.closeHandshakeTimeoutMs;
  const timers = ms > 0 ? out.setTimer([], 'closeHandshake', ms) : [];
  const next: ClosingState = {
    phase: 'closing',
    config: state.config,
    timers,
    inFlight: inFlightOf(state),
    sequencer: 'sequencer' in state ? state.sequencer : initialSequencer(),
  };
  return changePhase(state.phase, next, trigger);
}

/**
 * Leaves `state` for `closed`: cancels every timer (none may outlive the connection, P10),
 * and settles everything not yet delivered, buffered or in flight, as `undeliverable('closed')`.
 */
export function toClosed(state: Exclude<State, ClosedState>, trigger: Trigger, out: Out): ClosedState {
  out.cancelTimers(timersOf(state));
  settleUnsent(state, 'closed', out);
  for (const sent of inFlightOf(state)) {
    if (sent.kind === 'data') {
      for (const { eventId } of sent.events)
        out.outcome(eventId, { kind: 'undeliverable', reason: 'closed' });
    }
  }
  const next: ClosedState = {
    phase: 'closed',
    config: state.config,
    sequencer: 'sequencer' in state ? state.sequencer : initialSequencer(),
  };
  return changePhase(state.phase, next, trigger);
}
