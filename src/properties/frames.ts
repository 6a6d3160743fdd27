/**
 * Reading frames in a trace (docs/trace.md, "How events are found in frames"): which
 * entries are data or close frames, and, through the design's frame codec, which events a
 * frame carries with which seq.
 */
import { decodeDefaultFrame, defaultFrameCodec, frameText } from '../trace/frameCodec.ts';
import type { FrameCodec, FrameEvent } from '../trace/frameCodec.ts';
import type { JsonValue } from '../core/types.ts';
import type { AppSend, NetWire, TraceEntry } from '../trace/entry.ts';
import type { TraceRecord } from '../trace/types.ts';
import type { CheckContext } from './propertyTypes.ts';

/** A data frame that left the server: `net/wire` of `websocket.send`. */
export type DataWire = NetWire & { readonly message: 'websocket.send' };
/** A close frame that left the server: `net/wire` of `websocket.close`. */
export type CloseWire = NetWire & { readonly message: 'websocket.close' };
/** The app's call to send a data frame: `app/send` of `websocket.send`. */
export type DataSend = AppSend & { readonly message: 'websocket.send' };

/** What a design's codec read from one data frame: its events, or why it could not. */
export type FrameReading = { readonly events: readonly FrameEvent[] } | { readonly unreadable: string };

/** The codec the checkers read a design's frames with: its own, else the default. Pure. */
export function codecOf(ctx: Pick<CheckContext, 'design'>): FrameCodec {
  return ctx.design.decodeFrame ?? defaultFrameCodec;
}

/**
 * The events a trace entry's frame carries, read by `codec`. A codec that returns null,
 * throws, or returns anything but a list of `{eventId: string, seq: number | null}` makes the
 * frame unreadable, with the reason. Pure for a pure codec; a check reads each frame once
 * (TraceFacts.readingOf, connectionFacts.ts).
 *
 * @example readFrame(entry, defaultFrameCodec) // { events: [{ eventId: 'e1', seq: 1 }] }
 */
export function readFrame(entry: { readonly frame?: JsonValue }, codec: FrameCodec): FrameReading {
  // The default codec reads the decoded frame directly: same answer, no JSON round trip.
  if (codec === defaultFrameCodec) {
    const events = decodeDefaultFrame(entry.frame);
    return events === null ? { unreadable: 'not a well-formed reference frame' } : { events };
  }
  let result: unknown;
  try {
    result = codec(frameText(entry.frame));
  } catch (error) {
    return { unreadable: `the codec threw: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (result === null) return { unreadable: 'the codec cannot read it' };
  if (!Array.isArray(result) || !result.every(isFrameEvent))
    return { unreadable: 'the codec returned something other than a list of {eventId, seq}' };
  return { events: result as readonly FrameEvent[] };
}

function isFrameEvent(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { eventId, seq } = value as { eventId?: unknown; seq?: unknown };
  return typeof eventId === 'string' && (seq === null || (typeof seq === 'number' && Number.isFinite(seq)));
}

/** The event ids of an entry's frame, in order; none when the frame is unreadable. Pure. */
export function eventIdsOf(entry: { readonly frame?: JsonValue }, codec: FrameCodec): readonly string[] {
  const reading = readFrame(entry, codec);
  return 'events' in reading ? reading.events.map((e) => e.eventId) : [];
}

/**
 * The finding for an unreadable data frame, the same words in every property that reads
 * frames: "c1: unreadable-frame at step 12: the codec cannot read it (t=5ms)". Pure.
 */
export function unreadableFinding(entry: TraceRecord, reason: string): string {
  const { conn, at } = where(entry);
  return `${conn}: unreadable-frame at step ${entry.i}: ${reason}, so its events cannot be judged ${at}`;
}

/**
 * Whether the entry is a data frame that left the server (`net/wire` of `websocket.send`;
 * the handshake's `websocket.accept` and close frames are wire entries too, not data). Pure.
 */
export function isDataWire(entry: TraceEntry): entry is DataWire {
  return entry.actor === 'net' && entry.action === 'wire' && entry.message === 'websocket.send';
}

/** Whether the entry is a close frame that left the server. Pure. */
export function isCloseWire(entry: TraceEntry): entry is CloseWire {
  return entry.actor === 'net' && entry.action === 'wire' && entry.message === 'websocket.close';
}

/** Whether the entry is the app's call to send a data frame (`app/send` with `websocket.send`). Pure. */
export function isDataSend(entry: TraceEntry): entry is DataSend {
  return entry.actor === 'app' && entry.action === 'send' && entry.message === 'websocket.send';
}

/** `conn` and time as a message prefix/suffix: "c1" and "(t=75ms)". Pure. */
export function where(entry: TraceRecord): { conn: string; at: string } {
  return { conn: entry.conn ?? '-', at: `(t=${entry.t}ms)` };
}
