/**
 * P6 critical-retained (SPEC sections 5 and 7): no critical event is ever dropped.
 */
import type {
  DesignOutcome,
  TraceEntry,
  WorkloadBroadcast,
  WorkloadEmit,
  WorkloadEmitReturned,
} from '../trace/entry.ts';
import type { CheckContext, PropertyVerdict } from './propertyTypes.ts';
import { firstDeliveryOf } from './connectionFacts.ts';
import type { TraceFacts } from './connectionFacts.ts';
import { defineProperty, type PropertyDef } from './fold.ts';
import { Findings } from './findings.ts';
import { isDataSend, isDataWire, where } from './frames.ts';
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
  const retention = new Retention(ctx, facts);
  for (const entry of entries) retention.step(entry);
  return retention.findings.verdict();
}

/** P6's judgement, folded over the entries it reads once the whole trace's `facts` are known. */
class Retention {
  readonly findings = new Findings('P6');
  private readonly critical = new Map<string, boolean>();
  private readonly emitOf = new Map<string, TraceEntry>();
  private readonly full = new Set<string>();
  // Per connection: non-critical events emitted, not on the wire yet, but on it later.
  private readonly heldDroppable = new Map<string, number>();
  // Ids of those events (an emitted event belongs to one connection).
  private readonly heldIds = new Set<string>();
  // Per connection: non-critical events emitted and neither delivered nor refused so far.
  private readonly outstanding = new Map<string, number>();
  private readonly outstandingIds = new Set<string>();
  private readonly handler: boolean;
  // Connections whose close the design knew of: a refusal then is the close's, not a drop.
  private readonly closing = new Set<string>();

  constructor(
    private readonly ctx: CheckContext,
    private readonly facts: TraceFacts,
  ) {
    this.handler = ctx.design.kind === 'handler';
  }

  step(entry: TraceEntry): void {
    const conn = entry.conn;
    if (conn !== null && closesConnection(entry)) this.closing.add(conn);
    if (entry.actor === 'workload' && (entry.action === 'emit' || entry.action === 'broadcast')) {
      this.emitted(entry);
    } else if (conn === null) {
      return;
    } else if (entry.actor === 'design' && entry.action === 'buffer') {
      const { size } = entry.detail;
      const capacity = entry.detail.capacity ?? Number.POSITIVE_INFINITY;
      if (size >= capacity) this.full.add(conn);
      else this.full.delete(conn);
    } else if (entry.actor === 'design' && entry.action === 'outcome') {
      checkOutcome(entry, conn, this.critical, this.findings);
    } else if (isDataSend(entry)) {
      // Handed to the socket: no longer in the design's buffer, so no longer droppable (SPEC 5).
      for (const id of this.facts.eventIdsOf(entry))
        if (this.heldIds.delete(id)) bump(this.heldDroppable, conn, -1);
    } else if (isDataWire(entry)) {
      for (const id of this.facts.eventIdsOf(entry)) {
        if (this.heldIds.delete(id)) bump(this.heldDroppable, conn, -1);
        if (this.outstandingIds.delete(id)) bump(this.outstanding, conn, -1);
      }
    } else if (this.handler && entry.actor === 'workload' && entry.action === 'emitReturned') {
      this.returned(entry, conn);
    }
  }

  private emitted(entry: WorkloadEmit | WorkloadBroadcast): void {
    const { eventId: id, critical: isCritical } = entry.detail;
    this.critical.set(id, isCritical);
    const conn = entry.conn;
    if (conn === null) return;
    this.emitOf.set(id, entry);
    if (this.full.has(conn)) this.findings.exercised++;
    const delivered = firstDeliveryOf(this.facts, conn, id);
    if (!isCritical) {
      this.outstandingIds.add(id);
      bump(this.outstanding, conn, 1);
    }
    if (!isCritical && delivered !== undefined && delivered > entry.i) {
      this.heldIds.add(id);
      bump(this.heldDroppable, conn, 1);
    }
  }

  private returned(entry: WorkloadEmitReturned, conn: string): void {
    const { eventId: id, result } = entry.detail;
    const critical = this.critical.get(id);
    if (critical === false) {
      if (result !== 'true' && this.outstandingIds.delete(id)) bump(this.outstanding, conn, -1);
    } else if (critical === true && result === 'false') {
      if (this.closing.has(conn)) return;
      if ((this.outstanding.get(conn) ?? 0) > 0) this.findings.exercised++;
      if ((this.heldDroppable.get(conn) ?? 0) > 0) {
        this.findings.violate(
          [entry.i],
          `${conn}: critical event ${id} refused while a non-critical event was still held ${where(entry).at}`,
        );
      }
    } else if (
      critical === true &&
      result === 'true' &&
      firstDeliveryOf(this.facts, conn, id) === undefined
    ) {
      this.acceptedNeverSent(entry, conn, id);
    }
  }

  /** A critical emit that returned true and never reached the wire of a working connection. */
  private acceptedNeverSent(entry: WorkloadEmitReturned, conn: string, id: string): void {
    const { facts } = this;
    const emitted = this.emitOf.get(id)?.i ?? entry.i;
    if (facts.closedAt.has(conn)) return;
    const laterFrame = (facts.lastDataWire.get(conn) ?? -1) > emitted;
    const settled = facts.settledPhases[conn];
    const settledReady = settled !== undefined && referencePhaseOf(settled, this.ctx) === 'ready';
    if (!laterFrame && !settledReady) return;
    const why = laterFrame ? 'later frames went out' : 'it settled ready';
    this.findings.violate(
      [entry.i, emitted],
      `${conn}: critical event ${id} accepted but never reached the wire, though the connection stayed open and ${why} ${where(entry).at}`,
    );
  }
}

function checkOutcome(
  entry: DesignOutcome,
  conn: string,
  critical: Map<string, boolean>,
  findings: Findings,
): void {
  const { eventId: id, outcome } = entry.detail;
  const pressure =
    outcome.kind === 'dropped' || (outcome.kind === 'refused' && outcome.reason === 'backpressure');
  if (pressure) findings.exercised++;
  if (outcome.kind === 'dropped' && critical.get(id) === true) {
    findings.violate([entry.i], `${conn}: critical event ${id} dropped ${where(entry).at}`);
  }
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
