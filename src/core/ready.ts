/**
 * Delivery in `ready`: flushing the buffer in order, backpressure at `maxInFlight`,
 * sequencing at send time, batching and completions. Pure functions on `ReadyState`;
 * internal to the core.
 */
import { offerEvent, takeOldest } from './buffer.ts';
import { changePhase } from './exits.ts';
import type { Out } from './out.ts';
import type { PreparingState, ReadyState } from './state.ts';
import { initialSequencer, takeSeq } from './sequencer.ts';
import type { AgentEvent } from './types.ts';

/**
 * `preparing -> ready`: cancels the prepare deadline, arms the heartbeat when enabled, then
 * flushes the buffer in order (up to `maxInFlight` sends; the rest leaves as slots free).
 */
export function enterReady(state: PreparingState, out: Out): ReadyState {
  out.cancelTimers(state.timers);
  const interval = state.config.heartbeatIntervalMs;
  const timers = interval > 0 ? out.setTimer([], 'heartbeat', interval) : [];
  const ready: ReadyState = {
    phase: 'ready',
    config: state.config,
    userId: state.userId,
    timers,
    buffer: state.buffer,
    batch: state.config.batching === null ? null : [],
    inFlight: [],
    dataInFlight: 0,
    sequencer: initialSequencer(),
    heartbeat: { nonce: 0, missed: 0 },
  };
  return pump(changePhase('preparing', ready, 'servicesReady'), out);
}

/**
 * An emit in `ready`: the event joins the buffer's tail (overflow policy included) and the
 * buffer is pumped. When the buffer is empty and a slot is free it leaves at once; otherwise
 * it waits behind the buffered ones, so a live event never overtakes a buffered one.
 */
export function emitReady(state: ReadyState, event: AgentEvent, critical: boolean, out: Out): ReadyState {
  // Fast path, same result as buffering then pumping: nothing waits and a slot is free.
  if (
    state.buffer.items.length === 0 &&
    state.batch === null &&
    state.dataInFlight < state.config.maxInFlight
  ) {
    return sendEvent(state, event, out);
  }
  const offered = offerEvent(state.buffer, event, critical, state.config.capacity);
  for (const { eventId, outcome } of offered.settled) out.outcome(eventId, outcome);
  return pump({ ...state, buffer: offered.buffer }, out);
}

/** `sendCompleted`: the oldest send completed; its events are delivered with their seq. */
export function completeSend(state: ReadyState, out: Out): ReadyState {
  const done = state.inFlight[0];
  const rest = state.inFlight.slice(1);
  if (done === undefined) throw new Error('completeSend: caller must check inFlight is non-empty');
  let dataInFlight = state.dataInFlight;
  if (done.kind === 'data') {
    dataInFlight -= 1;
    for (const { seq, eventId } of done.events) out.outcome(eventId, { kind: 'delivered', seq });
  }
  return pump({ ...state, inFlight: rest, dataInFlight }, out);
}

/** The batch-flush timer fired: the open batch leaves as it is, then the buffer is pumped. */
export function flushBatchTimer(state: ReadyState, out: Out): ReadyState {
  return pump(sendBatch(state, out), out);
}

/**
 * Moves buffered events to the wire while a data slot is free. Without batching each event
 * is one frame; with batching events fill the open batch, which leaves when full (or when
 * its timer fires). Seq is taken at send time, so it follows emit order.
 */
function pump(state: ReadyState, out: Out): ReadyState {
  let next = state;
  const { maxInFlight, batching } = state.config;
  while (next.dataInFlight < maxInFlight) {
    const taken = takeOldest(next.buffer);
    if (taken === null) break;
    next = { ...next, buffer: taken.rest };
    const batch = next.batch;
    if (batching === null || batch === null) {
      next = sendEvent(next, taken.item.event, out);
      continue;
    }
    if (batch.length === 0)
      next = { ...next, timers: out.setTimer(next.timers, 'batchFlush', batching.flushMs) };
    next = { ...next, batch: [...batch, taken.item.event] };
    if (batch.length + 1 >= batching.size) next = sendBatch(next, out);
  }
  // Invariant: after a pump, a buffered event means every data slot is taken. A live emit
  // joins the tail, so it can only overtake if this breaks.
  if (next.buffer.items.length > 0 && next.dataInFlight < maxInFlight)
    throw new Error('pump left a free slot');
  return next;
}

function sendEvent(state: ReadyState, event: AgentEvent, out: Out): ReadyState {
  const { seq, sequencer } = takeSeq(state.sequencer);
  out.push({ type: 'send', frame: { kind: 'event', seq, event } });
  return {
    ...state,
    sequencer,
    inFlight: [...state.inFlight, { kind: 'data', events: [{ seq, eventId: event.id }] }],
    dataInFlight: state.dataInFlight + 1,
  };
}

/** Sends the open batch (if any events) as one frame and disarms its timer. */
function sendBatch(state: ReadyState, out: Out): ReadyState {
  const batch = state.batch;
  if (batch === null || batch.length === 0) return state;
  let sequencer = state.sequencer;
  const events: { seq: number; event: AgentEvent }[] = [];
  for (const event of batch) {
    const taken = takeSeq(sequencer);
    sequencer = taken.sequencer;
    events.push({ seq: taken.seq, event });
  }
  let timers = state.timers;
  if (timers.includes('batchFlush')) {
    out.cancelTimers(['batchFlush']);
    timers = timers.filter((name) => name !== 'batchFlush');
  }
  out.push({ type: 'send', frame: { kind: 'batch', events } });
  const inFlightEvents = events.map(({ seq, event }) => ({ seq, eventId: event.id }));
  return {
    ...state,
    timers,
    batch: [],
    sequencer,
    inFlight: [...state.inFlight, { kind: 'data', events: inFlightEvents }],
    dataInFlight: state.dataInFlight + 1,
  };
}
