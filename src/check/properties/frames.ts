/**
 * Reading frames in a trace (docs/trace.md, "How events are found in frames"): which
 * entries are data or close frames, which events a frame contains, which seq it carries.
 */
import type { JsonValue } from '../../core/types.ts';
import type { TraceEntry } from '../../sim/types.ts';

// Every checker asks about the same wire entries; decoding each frame once keeps a whole
// checkTrace linear with a small constant. Keyed by entry object, so nothing leaks.
const eventIdCache = new WeakMap<TraceEntry, readonly string[]>();

/**
 * The event ids a frame contains, in order of appearance: every string value of an
 * `eventId` key at any depth. Pure.
 *
 * @example eventIdsInFrame({ kind: 'event', seq: 1, event: { id: 'e1', payload: { eventId: 'e1' } } }) // ['e1']
 */
export function eventIdsInFrame(frame: JsonValue | undefined): string[] {
  const ids: string[] = [];
  collect(frame, ids);
  return ids;
}

function collect(value: JsonValue | undefined, ids: string[]): void {
  if (value === null || value === undefined || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value as readonly JsonValue[]) collect(item, ids);
    return;
  }
  const record = value as { readonly [k: string]: JsonValue };
  for (const key of Object.keys(record)) {
    const child = record[key];
    if (key === 'eventId' && typeof child === 'string') ids.push(child);
    else collect(child, ids);
  }
}

/** The event ids of a trace entry's frame, decoded once per entry. Pure (memoised). */
export function eventIdsOf(entry: TraceEntry): readonly string[] {
  let ids = eventIdCache.get(entry);
  if (ids === undefined) {
    ids = eventIdsInFrame(entry.frame);
    eventIdCache.set(entry, ids);
  }
  return ids;
}

/**
 * Whether the entry is a data frame that left the server (`net/wire` of `websocket.send`;
 * the handshake's `websocket.accept` and close frames are wire entries too, not data). Pure.
 */
export function isDataWire(entry: TraceEntry): boolean {
  return entry.actor === 'net' && entry.action === 'wire' && entry.message === 'websocket.send';
}

/** Whether the entry is a close frame that left the server. Pure. */
export function isCloseWire(entry: TraceEntry): boolean {
  return entry.actor === 'net' && entry.action === 'wire' && entry.message === 'websocket.close';
}

/** Whether the entry is the app's call to send a data frame (`app/send` with `websocket.send`). Pure. */
export function isDataSend(entry: TraceEntry): boolean {
  return entry.actor === 'app' && entry.action === 'send' && entry.message === 'websocket.send';
}

/**
 * The seq numbers a frame carries, in order, or null when it carries none: the reference's
 * `{kind:'event', seq}` and `{kind:'batch', events:[{seq}]}` shapes. Pure.
 *
 * @example seqsOfFrame({ kind: 'batch', events: [{ seq: 3 }, { seq: 4 }] }) // [3, 4]
 */
export function seqsOfFrame(frame: JsonValue | undefined): number[] | null {
  if (frame === null || frame === undefined || typeof frame !== 'object' || Array.isArray(frame)) return null;
  const record = frame as { readonly [k: string]: JsonValue };
  if (record['kind'] === 'event' && typeof record['seq'] === 'number') return [record['seq']];
  if (record['kind'] !== 'batch' || !Array.isArray(record['events'])) return null;
  const seqs: number[] = [];
  for (const item of record['events'] as readonly JsonValue[]) {
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const seq = (item as { readonly [k: string]: JsonValue })['seq'];
      if (typeof seq === 'number') seqs.push(seq);
    }
  }
  return seqs.length > 0 ? seqs : null;
}

/**
 * The seq a frame gives one event it contains, or undefined when the frame carries no seq
 * for it: `{kind:'event', seq}` gives its seq to the events inside, a batch item
 * `{seq, event}` to the events inside that item. Pure.
 *
 * @example seqOfEventInFrame({ kind: 'batch', events: [{ seq: 3, event: { eventId: 'e7' } }] }, 'e7') // 3
 */
export function seqOfEventInFrame(frame: JsonValue | undefined, eventId: string): number | undefined {
  if (frame === null || frame === undefined || typeof frame !== 'object' || Array.isArray(frame))
    return undefined;
  const record = frame as { readonly [k: string]: JsonValue };
  if (record['kind'] === 'event' && typeof record['seq'] === 'number') {
    return eventIdsInFrame(frame).includes(eventId) ? record['seq'] : undefined;
  }
  if (record['kind'] !== 'batch' || !Array.isArray(record['events'])) return undefined;
  for (const item of record['events'] as readonly JsonValue[]) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    const seq = (item as { readonly [k: string]: JsonValue })['seq'];
    if (typeof seq === 'number' && eventIdsInFrame(item).includes(eventId)) return seq;
  }
  return undefined;
}

/** `detail[key]` as a string, or undefined. Pure. */
export function detailString(entry: TraceEntry, key: string): string | undefined {
  const value = entry.detail?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** `detail[key]` as a number, or undefined. Pure. */
export function detailNumber(entry: TraceEntry, key: string): number | undefined {
  const value = entry.detail?.[key];
  return typeof value === 'number' ? value : undefined;
}

/** `detail[key]` as a boolean, or undefined. Pure. */
export function detailBoolean(entry: TraceEntry, key: string): boolean | undefined {
  const value = entry.detail?.[key];
  return typeof value === 'boolean' ? value : undefined;
}

/** `conn` and time as a message prefix/suffix: "c1" and "(t=75ms)". Pure. */
export function where(entry: TraceEntry): { conn: string; at: string } {
  return { conn: entry.conn ?? '-', at: `(t=${entry.t}ms)` };
}
