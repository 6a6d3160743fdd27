/**
 * P12 isolation (SPEC section 7): with many connections, an event for connection A never
 * reaches another connection; broadcast and emits never write to a closing connection. A
 * write after the close itself is P2's (no-send-after-close), not judged again here.
 */
import { isValidCloseCode, isValidCloseReason } from '../core/closeCodes.ts';
import { assertNever } from '../core/assertNever.ts';
import type { TraceEntry, WorkloadAppClose } from '../trace/entry.ts';
import type { RunResult } from '../trace/types.ts';
import { frameText } from '../trace/frameCodec.ts';
import type { TraceFacts } from './connectionFacts.ts';
import { defineProperty, type PropertyDef } from './fold.ts';
import { Findings } from './findings.ts';
import { isDataSend, isDataWire, unreadableFinding, where } from './frames.ts';
import type { DataSend, DataWire } from './frames.ts';

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
export const p12Isolation: PropertyDef = defineProperty({
  id: 'P12',
  name: 'isolation',
  summary:
    "With many connections, an event for one connection never reaches another (another user's, or " +
    'another tab of the same user), and no event is written to a connection that is closing ' +
    '(seed 004 broadcast); a write after the close itself is P2.',
  precondition:
    'an event delivered in a run with two or more connections, or an event reaching a connection whose close was requested',
  reads: ['workload', 'app', 'net'],
  // A handler design's trace may say when its close() was called (older traces do not): which
  // it does, only its end tells, so such a design is judged both ways and `finish` keeps one.
  init: (run, ctx) => ({
    undated: isolation(run, false),
    dated: ctx.design.kind === 'handler' ? isolation(run, true) : undefined,
  }),
  step({ undated, dated }, entry, facts) {
    stepIsolation(undated, entry, facts);
    if (dated !== undefined) stepIsolation(dated, entry, facts);
  },
  finish: ({ undated, dated }, facts) =>
    (dated !== undefined && facts.datesCloseCalls ? dated : undated).findings.verdict(),
});

/** P12's state on one run, for one answer to whether the trace dates close() calls. */
interface Isolation {
  readonly findings: Findings;
  readonly datesCloseCalls: boolean;
  readonly userOf: Map<string, string>;
  readonly conns: Set<string>;
  readonly originOf: Map<string, string>;
  readonly emittedAt: Map<string, number>;
  readonly broadcastAt: Map<string, number>;
  readonly closeRequested: Map<string, number>;
  readonly closeKnown: Map<string, number>;
  readonly closed: Map<string, number>;
  // Attribution by content: a recorded emit's frame text -> its event and connections.
  readonly textOf: Map<string, { readonly id: string; readonly conns: Set<string> }>;
}

function isolation(run: RunResult, datesCloseCalls: boolean): Isolation {
  const userOf = new Map<string, string>(Object.entries(run.userOf));
  return {
    findings: new Findings('P12'),
    datesCloseCalls,
    userOf,
    conns: new Set<string>(userOf.keys()),
    originOf: new Map(),
    emittedAt: new Map(),
    broadcastAt: new Map(),
    closeRequested: new Map(),
    closeKnown: new Map(),
    closed: new Map(),
    textOf: new Map(),
  };
}

/** Folds one entry into one of P12's states. */
function stepIsolation(state: Isolation, entry: TraceEntry, facts: TraceFacts): void {
  const conn = entry.conn;
  if (entry.actor === 'workload' && entry.action === 'broadcast') {
    state.broadcastAt.set(entry.detail.eventId, entry.i);
    state.findings.exercised += state.closeKnown.size;
    return;
  }
  if (conn === null) return;
  if (entry.actor === 'workload') {
    stepWorkload(state, entry, conn);
  } else if (entry.actor === 'app' && (entry.action === 'close' || isDisconnect(entry))) {
    if (!state.closed.has(conn)) state.closed.set(conn, entry.i);
  } else if (isDataSend(entry)) {
    judgeWrite(entry, conn, state, facts, state.findings);
  } else if (isDataWire(entry)) {
    judgeWire(state, entry, conn, facts);
  }
}

/** Folds one workload entry on `conn` (a broadcast is folded before). */
function stepWorkload(
  state: Isolation,
  entry: Extract<TraceEntry, { actor: 'workload' }>,
  conn: string,
): void {
  const { userOf, conns, closeRequested, closeKnown } = state;
  switch (entry.action) {
    case 'open': {
      const user = entry.detail?.userId;
      if (user !== undefined && !userOf.has(conn)) userOf.set(conn, user);
      conns.add(conn);
      return;
    }
    case 'emit':
      emitted(state, entry.detail, entry.i, conn);
      return;
    case 'appClose':
      if (!isValidRequest(entry) || closeRequested.has(conn)) return;
      closeRequested.set(conn, entry.i);
      if (!state.datesCloseCalls) closeKnown.set(conn, entry.i);
      return;
    case 'closeCalled':
      // A handler design's close() was called: it learns of the request now.
      if (closeRequested.has(conn) && !closeKnown.has(conn)) closeKnown.set(conn, entry.i);
      return;
    case 'emitReturned':
    case 'broadcast':
      return;
    default:
      assertNever(entry);
  }
}

/** An emit of event `id` to `conn` at step `i`, with the frame text a recorder may give. */
function emitted(
  state: Isolation,
  detail: { readonly eventId: string; readonly text?: string },
  i: number,
  conn: string,
): void {
  const { eventId: id } = detail;
  state.originOf.set(id, conn);
  state.emittedAt.set(id, i);
  // A trace file's emit is not checked for its text's type (traceFormat.ts).
  const text: unknown = detail.text;
  if (typeof text === 'string') {
    const key = normalText(text);
    const known = state.textOf.get(key) ?? { id, conns: new Set<string>() };
    known.conns.add(conn);
    state.textOf.set(key, known);
  }
  if (state.closeKnown.has(conn)) state.findings.exercised++;
}

/** A data frame on `conn`'s wire: an event of another connection, by id or by content. */
function judgeWire(state: Isolation, entry: DataWire, conn: string, facts: TraceFacts): void {
  const { findings, userOf, originOf, textOf } = state;
  if (state.conns.size >= 2) findings.exercised++;
  const reading = facts.readingOf(entry);
  if ('unreadable' in reading) {
    findings.violate([entry.i], unreadableFinding(entry, reading.unreadable));
    return;
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

interface WriteFacts {
  readonly closed: ReadonlyMap<string, number>;
  readonly closeKnown: ReadonlyMap<string, number>;
  readonly originOf: ReadonlyMap<string, string>;
  readonly emittedAt: ReadonlyMap<string, number>;
  readonly broadcastAt: ReadonlyMap<string, number>;
}

/** An `app/send` on `conn` of an event that arrived once its close was known (after the close itself: P2). */
function judgeWrite(
  entry: DataSend,
  conn: string,
  facts: WriteFacts,
  traceFacts: TraceFacts,
  findings: Findings,
): void {
  const knownAt = facts.closeKnown.get(conn);
  const { at } = where(entry);
  if (facts.closed.has(conn) || knownAt === undefined) return;
  for (const id of traceFacts.eventIdsOf(entry)) {
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

function isDisconnect(entry: Extract<TraceEntry, { actor: 'app' }>): boolean {
  return entry.action === 'received' && entry.message === 'websocket.disconnect';
}

/** A close request the design should honour; an invalid one it is right to reject. */
function isValidRequest(entry: WorkloadAppClose): boolean {
  // A trace file's appClose may omit its detail, code or reason (traceFormat.ts).
  const code = entry.detail?.code ?? 1000;
  const reason = entry.detail?.reason ?? '';
  return isValidCloseCode(code) && isValidCloseReason(reason);
}
