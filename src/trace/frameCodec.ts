/**
 * The frame codec: how the checkers read, from one data frame a design sent, the events it
 * carries and their seq numbers. Part of a design's contract (`decodeFrame` on
 * `ReducerDesign` and `HandlerDesign`); `defaultFrameCodec` reads the reference's frames and
 * any JSON frame that names its events by an `eventId` key.
 */
import type { JsonValue } from '../core/types.ts';

/** One event a data frame carries: its id and the seq the frame gives it (null: no seq on the wire). */
export interface FrameEvent {
  readonly eventId: string;
  readonly seq: number | null;
}

/**
 * Reads the events one data frame carries, in order of appearance; `[]` for a frame that
 * carries none (a ping, a hello); null for a frame this codec cannot read, which the
 * checkers report as `unreadable-frame`. Must be pure: called once per frame, any number of
 * times, in any order. `text` is the frame's text (a binary frame: its UTF-8 decoding).
 *
 * @example
 * const decodeFrame: FrameCodec = (text) => {
 *   const m = /^ev (\d+) (\S+)$/.exec(text);
 *   return m === null ? null : [{ eventId: m[2] as string, seq: Number(m[1]) }];
 * };
 */
export type FrameCodec = (text: string) => readonly FrameEvent[] | null;

/**
 * The codec every design gets unless it declares its own. Pure.
 * - The reference's shapes: `{kind:'event', seq, event}` gives `seq` to the events inside;
 *   `{kind:'batch', events:[{seq, event}]}` gives each item's seq to the events inside it.
 *   A frame of one of these kinds without its numeric seq (or with `events` not a list of
 *   `{seq}` items) is unreadable (null).
 * - Any other JSON: every string value of an `eventId` key, at any depth, with no seq.
 * - Text that is not JSON carries no event (`[]`).
 *
 * @example
 * defaultFrameCodec('{"kind":"event","seq":3,"event":{"id":"e1","payload":{"eventId":"e1"}}}');
 * // [{ eventId: 'e1', seq: 3 }]
 */
export const defaultFrameCodec: FrameCodec = (text) => {
  let frame: JsonValue;
  try {
    frame = JSON.parse(text) as JsonValue;
  } catch {
    return [];
  }
  return decodeDefaultFrame(frame);
};

/**
 * `defaultFrameCodec` on an already decoded trace `frame` (the JSON value, or the text when
 * it was not JSON): the same answer without re-serialising. Pure.
 *
 * @example decodeDefaultFrame({ kind: 'batch', events: [{ seq: 3, event: { eventId: 'e7' } }] }) // [{ eventId: 'e7', seq: 3 }]
 */
export function decodeDefaultFrame(frame: JsonValue | undefined): FrameEvent[] | null {
  if (typeof frame === 'string') return [];
  const record = asRecord(frame);
  if (record?.['kind'] === 'event') {
    const seq = record['seq'];
    return typeof seq === 'number' ? idsIn(frame).map((eventId) => ({ eventId, seq })) : null;
  }
  if (record?.['kind'] === 'batch') {
    const items = record['events'];
    if (!Array.isArray(items)) return null;
    const events: FrameEvent[] = [];
    for (const item of items as readonly JsonValue[]) {
      const seq = asRecord(item)?.['seq'];
      if (typeof seq !== 'number') return null;
      for (const eventId of idsIn(item)) events.push({ eventId, seq });
    }
    return events;
  }
  return idsIn(frame).map((eventId) => ({ eventId, seq: null }));
}

/**
 * The text a design sent, from a trace entry's `frame` (docs/trace.md: the JSON-decoded text,
 * else the text itself). Pure. A JSON frame comes back as `JSON.stringify` of its value, so
 * a codec sees normalised JSON (no insignificant whitespace); a frame whose text was a JSON
 * string literal comes back as that string's contents.
 */
export function frameText(frame: JsonValue | undefined): string {
  if (frame === undefined) return '';
  return typeof frame === 'string' ? frame : JSON.stringify(frame);
}

function asRecord(value: JsonValue | undefined): { readonly [k: string]: JsonValue } | undefined {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value))
    return undefined;
  return value as { readonly [k: string]: JsonValue };
}

/** Every string value of an `eventId` key at any depth, in order of appearance. */
function idsIn(value: JsonValue | undefined): string[] {
  const ids: string[] = [];
  const visit = (v: JsonValue | undefined): void => {
    if (v === null || v === undefined || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const item of v as readonly JsonValue[]) visit(item);
      return;
    }
    const record = v as { readonly [k: string]: JsonValue };
    for (const key of Object.keys(record)) {
      const child = record[key];
      if (key === 'eventId' && typeof child === 'string') ids.push(child);
      else visit(child);
    }
  };
  visit(value);
  return ids;
}
