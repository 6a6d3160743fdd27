/**
 * P12 isolation (SPEC section 7): with many connections, an event for connection A never
 * reaches another connection; broadcast and emits never write to a closing connection. A
 * write after the close itself is P2's (no-send-after-close), not judged again here.
 */
import { isValidCloseCode, isValidCloseReason } from '../core/closeCodes.ts';
import type { FrameCodec } from '../trace/frameCodec.ts';
import type { RunResult, TraceEntry } from '../trace/types.ts';
import { frameText } from '../trace/frameCodec.ts';
import type { CheckContext, PropertyDef, PropertyVerdict } from './propertyTypes.ts';
import { Findings } from './findings.ts';
import {
  codecOf,
  detailNumber,
  detailString,
  eventIdsOf,
  isDataSend,
  isDataWire,
  readFrame,
  unreadableFinding,
  where,
} from './frames.ts';

/**
 * Violated when
 * - an event emitted to connection A is in a data frame on the wire of any other connection,
 *   whether it belongs to another user or to the same one (two tabs of one user are two
 *   connections); a broadcast event (`workload/broadcast`) may reach every connection;
 * - the app writes, on a connection a cleanup task asked to close (`workload/appClose` with a
 *   valid code and reason), an event emitted or broadcast after the design learned of that
 *   request: the write went to a closing connection. A reducer design learns of it with the
 *   request (the driver steps it at once); a handler design when its `close()` is called
 *   (`workload/closeCalled`, 0-2 scheduler turns after the request; the request itself when
 *   the trace has no such entry). Frames decided before may still drain. A write once the
 *   connection closed (the app's close, or `websocket.disconnect` received) is P2's only.
 * - a data frame carries no event id the codec can read, but its text is the content an emit
 *   for another connection recorded (`workload/emit` `detail.text`, which a real recorder
 *   writes when the app gives it: the frame text the event becomes), and no emit for its own
 *   connection recorded that text: attribution by content, for apps whose frames carry no id.
 * A data frame the design's codec cannot read is an `unreadable-frame` violation.
 * Exercised by every event delivered in a run with two or more connections, and by every
 * emit or broadcast reaching a connection after its close was known.
 *
 * @example p12Isolation.check(run, ctx).status // 'held'
 */
export const p12Isolation: PropertyDef = {
  id: 'P12',
  name: 'isolation',
  summary:
    "With many connections, an event for one connection never reaches another (another user's, or " +
    'another tab of the same user), and no event is written to a connection that is closing ' +
    '(seed 004 broadcast); a write after the close itself is P2.',
  precondition:
    'an event delivered in a run with two or more connections, or an event reaching a connection whose close was requested',
  check(run: RunResult, ctx: CheckContext): PropertyVerdict {
    const findings = new Findings('P12');
    const codec = codecOf(ctx);
    // A handler design's trace says when its close() was called; older traces do not.
    const datesCloseCalls = ctx.design.kind === 'handler' && run.trace.some(isCloseCall);
    const userOf = new Map<string, string>(Object.entries(run.userOf));
    const conns = new Set<string>(userOf.keys());
    const originOf = new Map<string, string>();
    const emittedAt = new Map<string, number>();
    const broadcastAt = new Map<string, number>();
    const closeRequested = new Map<string, number>();
    const closeKnown = new Map<string, number>();
    const closed = new Map<string, number>();
    // Attribution by content: a recorded emit's frame text -> its event and connections.
    const textOf = new Map<string, { readonly id: string; readonly conns: Set<string> }>();
    for (const entry of run.trace) {
      const conn = entry.conn;
      if (entry.actor === 'workload' && entry.action === 'broadcast') {
        const id = detailString(entry, 'eventId');
        if (id !== undefined) broadcastAt.set(id, entry.i);
        findings.exercised += closeKnown.size;
        continue;
      }
      if (conn === null) continue;
      if (entry.actor === 'workload' && entry.action === 'open') {
        const user = detailString(entry, 'userId');
        if (user !== undefined && !userOf.has(conn)) userOf.set(conn, user);
        conns.add(conn);
      } else if (entry.actor === 'workload' && entry.action === 'emit') {
        const id = detailString(entry, 'eventId');
        if (id === undefined) continue;
        originOf.set(id, conn);
        emittedAt.set(id, entry.i);
        const text = detailString(entry, 'text');
        if (text !== undefined) {
          const key = normalText(text);
          const known = textOf.get(key) ?? { id, conns: new Set<string>() };
          known.conns.add(conn);
          textOf.set(key, known);
        }
        if (closeKnown.has(conn)) findings.exercised++;
      } else if (entry.actor === 'workload' && entry.action === 'appClose') {
        if (!isValidRequest(entry) || closeRequested.has(conn)) continue;
        closeRequested.set(conn, entry.i);
        if (!datesCloseCalls) closeKnown.set(conn, entry.i);
      } else if (isCloseCall(entry)) {
        if (closeRequested.has(conn) && !closeKnown.has(conn)) closeKnown.set(conn, entry.i);
      } else if (entry.actor === 'app' && (entry.action === 'close' || isDisconnect(entry))) {
        if (!closed.has(conn)) closed.set(conn, entry.i);
      } else if (isDataSend(entry)) {
        judgeWrite(entry, conn, { closed, closeKnown, originOf, emittedAt, broadcastAt }, codec, findings);
      } else if (isDataWire(entry)) {
        if (conns.size >= 2) findings.exercised++;
        const reading = readFrame(entry, codec);
        if ('unreadable' in reading) {
          findings.violate([entry.i], unreadableFinding(entry, reading.unreadable));
          continue;
        }
        if (reading.events.length === 0 && textOf.size > 0) {
          const byText = textOf.get(normalText(frameText(entry.frame)));
          if (byText !== undefined && !byText.conns.has(conn)) {
            const origin = [...byText.conns][0] ?? '?';
            findings.violate(
              [entry.i],
              `${conn} (user ${userOf.get(conn) ?? '?'}): a frame with the content of event ${byText.id}, emitted for ${origin} (user ${userOf.get(origin) ?? '?'}), on the wire ${where(entry).at}`,
            );
          }
        }
        for (const { eventId: id } of reading.events) {
          const origin = originOf.get(id);
          if (origin === undefined || origin === conn) continue;
          const owner = userOf.get(origin);
          const user = userOf.get(conn);
          const whose =
            owner === user ? `another connection of the same user ${owner ?? '?'}` : `user ${owner ?? '?'}`;
          findings.violate(
            [entry.i],
            `${conn} (user ${user ?? '?'}): event ${id} emitted for ${origin} (${whose}) on the wire ${where(entry).at}`,
          );
        }
      }
    }
    return findings.verdict();
  },
};

interface WriteFacts {
  readonly closed: ReadonlyMap<string, number>;
  readonly closeKnown: ReadonlyMap<string, number>;
  readonly originOf: ReadonlyMap<string, string>;
  readonly emittedAt: ReadonlyMap<string, number>;
  readonly broadcastAt: ReadonlyMap<string, number>;
}

/** An `app/send` on `conn` of an event that arrived once its close was known (after the close itself: P2). */
function judgeWrite(
  entry: TraceEntry,
  conn: string,
  facts: WriteFacts,
  codec: FrameCodec,
  findings: Findings,
): void {
  const knownAt = facts.closeKnown.get(conn);
  const { at } = where(entry);
  if (facts.closed.has(conn) || knownAt === undefined) return;
  for (const id of eventIdsOf(entry, codec)) {
    const arrived = facts.originOf.get(id) === conn ? facts.emittedAt.get(id) : facts.broadcastAt.get(id);
    if (arrived === undefined || arrived < knownAt) continue;
    findings.violate(
      [entry.i, knownAt],
      `${conn}: event ${id} written to a connection closing since step ${knownAt} ${at}`,
    );
    return;
  }
}

/** A frame text compared by content: JSON re-serialized (key order kept), other text as is. Pure. */
function normalText(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/** `workload/closeCalled`: a handler design's `close()` was called (it learns of the request now). */
function isCloseCall(entry: TraceEntry): boolean {
  return entry.actor === 'workload' && entry.action === 'closeCalled';
}

function isDisconnect(entry: TraceEntry): boolean {
  return entry.action === 'received' && entry.message === 'websocket.disconnect';
}

/** A close request the design should honour; an invalid one it is right to reject. */
function isValidRequest(entry: TraceEntry): boolean {
  const code = detailNumber(entry, 'code') ?? 1000;
  const reason = detailString(entry, 'reason') ?? '';
  return isValidCloseCode(code) && isValidCloseReason(reason);
}
