/**
 * What a trace keeps of a data frame: by default its shape, seq, and each event's id and
 * type, without the payload (a busy server's payloads would make the trace as large as its
 * traffic); the checkers read only ids and seq (docs/trace.md, "How events are found").
 */
import type { AgentEvent, Frame, JsonValue } from '../../core/types.ts';

/** `full`: the frame exactly as sent; `ids`: payloads reduced to `{ eventId }`. */
export type TraceFrames = 'full' | 'ids';

function eventOf(event: AgentEvent): JsonValue {
  return { id: event.id, type: event.type, payload: { eventId: event.id } };
}

/**
 * The frame as the trace records it. Pure.
 *
 * @example traceFrameOf({ kind: 'event', seq: 1, event: { id: 'e1', type: 't', payload: { eventId: 'e1', big: '...' } } }, 'ids')
 * // { kind: 'event', seq: 1, event: { id: 'e1', type: 't', payload: { eventId: 'e1' } } }
 */
export function traceFrameOf(frame: Frame, mode: TraceFrames): JsonValue {
  if (mode === 'full') return frame as unknown as JsonValue;
  switch (frame.kind) {
    case 'event':
      return { kind: 'event', seq: frame.seq, event: eventOf(frame.event) };
    case 'batch':
      return { kind: 'batch', events: frame.events.map((e) => ({ seq: e.seq, event: eventOf(e.event) })) };
    case 'ping':
      return { kind: 'ping', nonce: frame.nonce };
  }
}
