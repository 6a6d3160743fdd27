/**
 * The bounded event buffer (SPEC section 5), as pure functions over plain data.
 *
 * Holds events before `ready` and, in `ready`, while sends are at `maxInFlight`
 * (backpressure). Never holds more than its capacity and never drops a critical event.
 */
import type { AgentEvent, Outcome } from './types.ts';

/** One buffered event; `critical` is decided once, when the event enters the buffer. */
export interface BufferedEvent {
  readonly event: AgentEvent;
  readonly critical: boolean;
}

/**
 * Buffered events, oldest first. `criticalCount` is kept alongside so "is every buffered
 * event critical?" is O(1) per step instead of a scan.
 */
export interface EventBuffer {
  readonly items: readonly BufferedEvent[];
  readonly criticalCount: number;
}

/** What happened to an offered event: the new buffer and the outcomes it settled now. */
export interface OfferResult {
  readonly buffer: EventBuffer;
  /** Outcomes decided by this offer: an evicted event's `dropped`, or the newcomer's `refused`. */
  readonly settled: readonly { readonly eventId: string; readonly outcome: Outcome }[];
}

/** The empty buffer. Pure. */
export function emptyBuffer(): EventBuffer {
  return { items: [], criticalCount: 0 };
}

/**
 * Offers `event` to a buffer of `capacity`. Pure.
 *
 * - Room left: the event is appended.
 * - Full, some buffered event non-critical: the OLDEST non-critical one is dropped
 *   (`dropped('overflow')`), exactly one, and the newcomer is appended.
 * - Full, every buffered event critical: the newcomer is refused (`refused('backpressure')`),
 *   critical or not; a critical event is never dropped.
 *
 * The search for the oldest non-critical event is O(capacity). It runs only on overflow,
 * and keeping an index of non-critical positions would cost more on every ordinary append
 * than it saves at the capacities this buffer is meant for (tens of events).
 *
 * @example
 * const { buffer } = offerEvent(emptyBuffer(), { id: 'e1', type: 'agent_thinking' }, false, 8);
 * buffer.items.length // 1
 */
export function offerEvent(
  buffer: EventBuffer,
  event: AgentEvent,
  critical: boolean,
  capacity: number,
): OfferResult {
  if (buffer.items.length < capacity) {
    return { buffer: appended(buffer, { event, critical }), settled: [] };
  }
  if (buffer.criticalCount === buffer.items.length) {
    return { buffer, settled: [{ eventId: event.id, outcome: { kind: 'refused', reason: 'backpressure' } }] };
  }
  const victim = buffer.items.findIndex((item) => !item.critical);
  const evicted = buffer.items[victim];
  if (evicted === undefined) throw new Error('buffer: criticalCount says a non-critical event exists');
  const items = buffer.items.slice();
  items.splice(victim, 1);
  items.push({ event, critical });
  const next = { items, criticalCount: buffer.criticalCount + (critical ? 1 : 0) };
  assertBounded(next, capacity);
  return {
    buffer: next,
    settled: [{ eventId: evicted.event.id, outcome: { kind: 'dropped', reason: 'overflow' } }],
  };
}

/**
 * Removes the oldest event. Pure.
 *
 * @returns the event and the rest, or null when the buffer is empty.
 */
export function takeOldest(
  buffer: EventBuffer,
): { readonly item: BufferedEvent; readonly rest: EventBuffer } | null {
  const item = buffer.items[0];
  if (item === undefined) return null;
  return {
    item,
    rest: { items: buffer.items.slice(1), criticalCount: buffer.criticalCount - (item.critical ? 1 : 0) },
  };
}

/** Number of buffered events, O(1). Pure. */
export function bufferSize(buffer: EventBuffer): number {
  return buffer.items.length;
}

function appended(buffer: EventBuffer, item: BufferedEvent): EventBuffer {
  return {
    items: [...buffer.items, item],
    criticalCount: buffer.criticalCount + (item.critical ? 1 : 0),
  };
}

function assertBounded(buffer: EventBuffer, capacity: number): void {
  if (buffer.items.length > capacity)
    throw new Error(`buffer holds ${buffer.items.length} > capacity ${capacity}`);
}
