/**
 * P6 critical-retained (SPEC sections 5 and 7): no critical event is ever dropped.
 */
import type { JsonValue } from '../core/types.ts';
import type { TraceEntry } from '../trace/types.ts';
import type { CheckContext, PropertyVerdict } from './propertyTypes.ts';
import { firstDeliveryOf } from './connectionFacts.ts';
import type { TraceFacts } from './connectionFacts.ts';
import { defineProperty, type PropertyDef } from './fold.ts';
import { Findings } from './findings.ts';
import { detailBoolean, detailNumber, detailString, isDataSend, isDataWire, where } from './frames.ts';
import { referencePhaseOf } from './phaseNames.ts';

/**
 * Reducer designs: violated by a `design/outcome` `dropped` for a critical event.
 * Handler designs (whose drops are invisible, so judged by what the wire shows):
 * - a critical emit returned `false` while a non-critical event of the same connection was
 *   held and droppable: emitted, not refused, not yet handed to the socket (no `app/send`
 *   containing it), and on the wire later (so it certainly was still buffered when the
 *   critical one was refused). SPEC section 5 drops from the buffer: an event whose frame the
 *   design already gave the socket is not in it any more;
 * - a critical emit returned `true` and never reached the wire although its connection never
 *   closed and was working: a later data frame went out on it, or it settled `ready`.
 *
 * Exercised when dropping was visibly a choice: an emit to a connection whose last
 * `design/buffer` size was at capacity, an overflow outcome (`dropped`, `refused`
 * backpressure), or a critical emit that returned `false` while a non-critical event of its
 * connection was outstanding (emitted, neither delivered nor refused yet). A refusal with
 * nothing outstanding (an unknown or closed connection), or once the design knew of the
 * connection's close (`workload/closeCalled`, its own `app/close`, a received disconnect),
 * says nothing about retention.
 *
 * @example p06CriticalRetained.check(run, ctx).status // 'held'
 */
export const p06CriticalRetained: PropertyDef = defineProperty({
  id: 'P6',
  name: 'critical-retained',
  summary:
    'No critical event (agent_started, tool_executing, tool_completed, agent_completed) is ever dropped, ' +
    'even when the buffer is full: a non-critical one goes first, or the newcomer is refused openly.',
  precondition: 'an emit meeting a full buffer (or a refusal while a non-critical event was outstanding)',
  reads: ['workload', 'design', 'app', 'net'],
  // Whether a held event was droppable depends on whether the wire carries it later, and a
  // silent loss on whether the connection ever closed: only the whole trace tells. So the fold
  // keeps the entries P6 reads (no client or harness entry) and judges them at `finish`.
  init: (_run, ctx) => ({ ctx, entries: [] as TraceEntry[] }),
  step({ entries }, entry) {
    if (entry.actor !== 'client' && entry.actor !== 'harness') entries.push(entry);
  },
  finish: ({ ctx, entries }, facts) => judgeRetention(entries, ctx, facts),
});

/** P6's verdict on the entries it reads, in trace order, against the whole trace's `facts`. */
function judgeRetention(
  entries: readonly TraceEntry[],
  ctx: CheckContext,
  facts: TraceFacts,
): PropertyVerdict {
  const findings = new Findings('P6');
  const critical = new Map<string, boolean>();
  const emitOf = new Map<string, TraceEntry>();
  const full = new Set<string>();
  // Per connection: non-critical events emitted, not on the wire yet, but on it later.
  const heldDroppable = new Map<string, number>();
  // Ids of those events (an emitted event belongs to one connection).
  const heldIds = new Set<string>();
  // Per connection: non-critical events emitted and neither delivered nor refused so far.
  const outstanding = new Map<string, number>();
  const outstandingIds = new Set<string>();
  const handler = ctx.design.kind === 'handler';
  // Connections whose close the design knew of: a refusal then is the close's, not a drop.
  const closing = new Set<string>();
  for (const entry of entries) {
    const conn = entry.conn;
    if (conn !== null && closesConnection(entry)) closing.add(conn);
    if (entry.actor === 'workload' && (entry.action === 'emit' || entry.action === 'broadcast')) {
      const id = detailString(entry, 'eventId');
      if (id === undefined) continue;
      const isCritical = detailBoolean(entry, 'critical') === true;
      critical.set(id, isCritical);
      if (conn === null) continue;
      emitOf.set(id, entry);
      if (full.has(conn)) findings.exercised++;
      const delivered = firstDeliveryOf(facts, conn, id);
      if (!isCritical) {
        outstandingIds.add(id);
        bump(outstanding, conn, 1);
      }
      if (!isCritical && delivered !== undefined && delivered > entry.i) {
        heldIds.add(id);
        bump(heldDroppable, conn, 1);
      }
    } else if (conn === null) {
      continue;
    } else if (entry.actor === 'design' && entry.action === 'buffer') {
      const size = detailNumber(entry, 'size') ?? 0;
      const capacity = detailNumber(entry, 'capacity') ?? Number.POSITIVE_INFINITY;
      if (size >= capacity) full.add(conn);
      else full.delete(conn);
    } else if (entry.actor === 'design' && entry.action === 'outcome') {
      checkOutcome(entry, conn, critical, findings);
    } else if (isDataSend(entry)) {
      // Handed to the socket: no longer in the design's buffer, so no longer droppable (SPEC 5).
      for (const id of facts.eventIdsOf(entry)) if (heldIds.delete(id)) bump(heldDroppable, conn, -1);
    } else if (isDataWire(entry)) {
      for (const id of facts.eventIdsOf(entry)) {
        if (heldIds.delete(id)) bump(heldDroppable, conn, -1);
        if (outstandingIds.delete(id)) bump(outstanding, conn, -1);
      }
    } else if (handler && entry.actor === 'workload' && entry.action === 'emitReturned') {
      const id = detailString(entry, 'eventId');
      if (id === undefined) continue;
      const result = detailString(entry, 'result');
      if (critical.get(id) === false) {
        if (result !== 'true' && outstandingIds.delete(id)) bump(outstanding, conn, -1);
        continue;
      }
      if (critical.get(id) !== true) continue;
      if (result === 'false') {
        if (closing.has(conn)) continue;
        if ((outstanding.get(conn) ?? 0) > 0) findings.exercised++;
        if ((heldDroppable.get(conn) ?? 0) > 0) {
          findings.violate(
            [entry.i],
            `${conn}: critical event ${id} refused while a non-critical event was still held ${where(entry).at}`,
          );
        }
      } else if (result === 'true' && firstDeliveryOf(facts, conn, id) === undefined) {
        const emitted = emitOf.get(id)?.i ?? entry.i;
        if (facts.closedAt.has(conn)) continue;
        const laterFrame = (facts.lastDataWire.get(conn) ?? -1) > emitted;
        const settled = facts.settledPhases[conn];
        const settledReady = settled !== undefined && referencePhaseOf(settled, ctx) === 'ready';
        if (!laterFrame && !settledReady) continue;
        const why = laterFrame ? 'later frames went out' : 'it settled ready';
        findings.violate(
          [entry.i, emitted],
          `${conn}: critical event ${id} accepted but never reached the wire, though the connection stayed open and ${why} ${where(entry).at}`,
        );
      }
    }
  }
  return findings.verdict();
}

function checkOutcome(
  entry: TraceEntry,
  conn: string,
  critical: Map<string, boolean>,
  findings: Findings,
): void {
  const id = detailString(entry, 'eventId');
  const outcome = entry.detail?.['outcome'];
  const kind = fieldOf(outcome, 'kind');
  const pressure =
    kind === 'dropped' || (kind === 'refused' && fieldOf(outcome, 'reason') === 'backpressure');
  if (pressure) findings.exercised++;
  if (kind === 'dropped' && id !== undefined && critical.get(id) === true) {
    findings.violate([entry.i], `${conn}: critical event ${id} dropped ${where(entry).at}`);
  }
}

function fieldOf(value: JsonValue | undefined, key: string): JsonValue | undefined {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value))
    return undefined;
  return (value as { readonly [k: string]: JsonValue })[key];
}

function bump(counts: Map<string, number>, conn: string, by: number): void {
  counts.set(conn, (counts.get(conn) ?? 0) + by);
}

/** An entry after which the design knows its connection is closing or closed. Pure. */
function closesConnection(e: TraceEntry): boolean {
  if (e.actor === 'workload' && e.action === 'closeCalled') return true;
  if (e.actor === 'app' && e.action === 'close') return true;
  return e.actor === 'app' && e.action === 'received' && e.message === 'websocket.disconnect';
}
