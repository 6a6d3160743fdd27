/**
 * `connectionFacts`: per-connection facts several checkers need from the whole trace
 * before their own pass (where events were first delivered, whether a connection ever
 * closed, what the harness said at the end). One linear pass.
 */
import type { JsonValue } from '../core/types.ts';
import { defaultFrameCodec } from '../trace/frameCodec.ts';
import type { FrameCodec } from '../trace/frameCodec.ts';
import type { TraceEntry } from '../trace/types.ts';
import { eventIdsOf, isCloseWire, isDataWire } from './frames.ts';

/** What the whole trace says about its connections; built by `connectionFacts`. */
export interface ConnectionFacts {
  /** Per connection, per event id: index of the first data frame on it containing the event. */
  readonly firstDelivery: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Index of the last data frame on each connection. */
  readonly lastDataWire: ReadonlyMap<string, number>;
  /** Index of the first sign of a close on each connection, from either side. */
  readonly closedAt: ReadonlyMap<string, number>;
  /** Phases the harness reported at `harness/settled`, empty when it did not settle. */
  readonly settledPhases: Readonly<Record<string, string>>;
}

// Several checkers of one checkTrace call need the same facts; scan each trace once per codec.
const factsCache = new WeakMap<FrameCodec, WeakMap<readonly TraceEntry[], ConnectionFacts>>();

/** Map key of one event on one connection (a broadcast event has one id on many connections). Pure. */
export function deliveryKey(conn: string, eventId: string): string {
  return `${conn}\u0000${eventId}`;
}

/** Index of the first data frame on `conn` containing `eventId`, or undefined. Pure. */
export function firstDeliveryOf(facts: ConnectionFacts, conn: string, eventId: string): number | undefined {
  return facts.firstDelivery.get(conn)?.get(eventId);
}

/**
 * Scans a trace once and returns its `ConnectionFacts`, reading frames with `codec` (the
 * design's, `codecOf(ctx)`). Pure (memoised per codec and trace array).
 * A connection counts as closed at its first app close, close frame on the wire,
 * `websocket.disconnect` received, client close or abrupt disconnect, or failed write.
 *
 * @example firstDeliveryOf(connectionFacts(run.trace, codecOf(ctx)), 'c1', 'e1') // 12
 */
export function connectionFacts(
  trace: readonly TraceEntry[],
  codec: FrameCodec = defaultFrameCodec,
): ConnectionFacts {
  let byTrace = factsCache.get(codec);
  if (byTrace === undefined) {
    byTrace = new WeakMap<readonly TraceEntry[], ConnectionFacts>();
    factsCache.set(codec, byTrace);
  }
  let facts = byTrace.get(trace);
  if (facts === undefined) {
    facts = scan(trace, codec);
    byTrace.set(trace, facts);
  }
  return facts;
}

function scan(trace: readonly TraceEntry[], codec: FrameCodec): ConnectionFacts {
  const firstDelivery = new Map<string, Map<string, number>>();
  const lastDataWire = new Map<string, number>();
  const closedAt = new Map<string, number>();
  let settledPhases: Record<string, string> = {};
  for (const entry of trace) {
    const conn = entry.conn;
    if (conn === null) {
      if (entry.actor === 'harness' && entry.action === 'settled')
        settledPhases = phasesOf(entry.detail?.['phases']);
      continue;
    }
    if (isDataWire(entry)) {
      lastDataWire.set(conn, entry.i);
      let delivered = firstDelivery.get(conn);
      if (delivered === undefined) {
        delivered = new Map<string, number>();
        firstDelivery.set(conn, delivered);
      }
      for (const id of eventIdsOf(entry, codec)) if (!delivered.has(id)) delivered.set(id, entry.i);
    } else if (isClosing(entry) && !closedAt.has(conn)) {
      closedAt.set(conn, entry.i);
    }
  }
  return { firstDelivery, lastDataWire, closedAt, settledPhases };
}

function isClosing(entry: TraceEntry): boolean {
  if (isCloseWire(entry)) return true;
  if (entry.actor === 'app') {
    return (
      entry.action === 'close' || (entry.action === 'received' && entry.message === 'websocket.disconnect')
    );
  }
  if (entry.actor === 'client') return entry.action === 'close' || entry.action === 'abrupt';
  return entry.actor === 'net' && entry.action === 'sendFailed';
}

function phasesOf(value: JsonValue | undefined): Record<string, string> {
  const phases: Record<string, string> = {};
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value))
    return phases;
  for (const [conn, phase] of Object.entries(value as { readonly [k: string]: JsonValue })) {
    if (typeof phase === 'string') phases[conn] = phase;
  }
  return phases;
}
