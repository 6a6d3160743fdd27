/**
 * P15 progress (SPEC section 7): on a connection that reaches ready and stays open, every
 * emitted event is delivered unless the buffer rules drop or refuse it with their reason.
 */
import type { DesignOutcome, TraceEntry, WorkloadEmit, WorkloadEmitReturned } from '../trace/entry.ts';
import type { RunResult } from '../trace/types.ts';
import type { CheckContext, PropertyVerdict } from './propertyTypes.ts';
import { deliveryKey, firstDeliveryOf } from './connectionFacts.ts';
import type { TraceFacts } from './connectionFacts.ts';
import { defineProperty, type PropertyDef } from './fold.ts';
import { Findings } from './findings.ts';
import { where } from './frames.ts';
import { becameReady, isAcceptOnWire } from './phaseNames.ts';

/** What one emit to a judged connection came to, as the trace shows it. */
interface Emitted {
  readonly entry: WorkloadEmit;
  readonly id: string;
  readonly conn: string;
  /** Reducer designs: the first `design/outcome` for it. */
  outcome: DesignOutcome | undefined;
  /** Handler designs: the `workload/emitReturned` for it. */
  returned: WorkloadEmitReturned | undefined;
  /** Other events in the design's hands when it was refused or dropped (heldEvents.ts). */
  othersInHand: number | undefined;
}

/**
 * Judged connections: reached ready (the first applied phase into ready, or a successful
 * auth for a design exposing no phase), and never closed in the run (no close from either
 * side, no failed write). Every event emitted to one once the design knew of it (before ready
 * too: SPEC section 5 buffers it) must reach its wire. A reducer design knows a connection
 * from its `workload/open`; a handler design from its first socket call or report on it
 * (an emit that lands before the endpoint task started may be refused). Exceptions: the
 * buffer rules, only when the trace shows their reason was true, that is, at that moment the
 * design had at least the run's capacity of other events in hand on that connection
 * (emitted, not yet handed to the socket, no final outcome: heldEvents.ts):
 * - reducer designs: an outcome `dropped(overflow)` or `refused(backpressure)`;
 * - handler designs (which give no reason): an emit that returned `false`.
 * What a design reports about its own buffer (`design/buffer`) is not evidence here.
 * Anything else is a violation: an event reported undeliverable or refused for another
 * reason, a buffer rule cited with room left, an emit that threw, an event accepted and
 * never delivered. So a design that delivers nothing cannot pass. Exercised by every event
 * emitted to a judged connection.
 *
 * @example p15Progress.check(run, ctx).message // 'c1: event e3 was never delivered ...'
 */
export const p15Progress: PropertyDef = defineProperty({
  id: 'P15',
  name: 'progress',
  summary:
    'On a connection that reaches ready and stays open, every emitted event is delivered unless the ' +
    'buffer rules drop or refuse it with their reason, and the trace shows the reason was true (the capacity of other events in hand): a design that delivers nothing cannot pass.',
  precondition: 'an event emitted to a connection that reached ready and stayed open',
  reads: ['workload', 'app', 'design', 'net'],
  // Which connections a design knows and which are judged (ready, never closed) and whether
  // it exposes a phase at all, only the whole trace tells, and the events it had in hand
  // (heldEvents.ts) too. So the fold keeps the entries P15 reads and judges them at `finish`.
  init: (run, ctx) => ({ run, ctx, entries: [] as TraceEntry[], touched: new Map<string, number>() }),
  step({ ctx, entries, touched }, entry) {
    const conn = entry.conn;
    if (conn === null) return;
    if (entry.actor === 'workload' || entry.actor === 'app' || entry.actor === 'design') entries.push(entry);
    // A real app is ready once its accept is on the wire (readyOnAccept).
    else if (isAcceptOnWire(entry, ctx)) entries.push(entry);
    if ((entry.actor === 'app' || entry.actor === 'design') && !touched.has(conn)) touched.set(conn, entry.i);
  },
  // Any app or design entry, of a kind the union knows or not, shows the endpoint touched its connection.
  stepOther({ touched }, record) {
    const conn = record.conn;
    if (conn !== null && (record.actor === 'app' || record.actor === 'design') && !touched.has(conn))
      touched.set(conn, record.i);
  },
  finish: ({ run, ctx, entries, touched }, facts) => judgeProgress(entries, { run, ctx, facts, touched }),
});

/** What P15 judges its entries against: the run, the whole trace's facts, where each connection was first touched. */
interface ProgressFacts {
  readonly run: RunResult;
  readonly ctx: CheckContext;
  readonly facts: TraceFacts;
  /** Per connection, the step of its first app or design entry (a handler design knows it from then on). */
  readonly touched: ReadonlyMap<string, number>;
}

/** P15's verdict on the entries it reads, in trace order. */
function judgeProgress(entries: readonly TraceEntry[], given: ProgressFacts): PropertyVerdict {
  const { run, ctx, facts } = given;
  const findings = new Findings('P15');
  const capacity = run.config.capacity;
  const { emits, ready } = emitsToJudge(entries, given);
  for (const record of emits.values()) {
    if (!ready.has(record.conn)) continue;
    findings.exercised++;
    if (firstDeliveryOf(facts, record.conn, record.id) !== undefined) continue;
    const excuse =
      ctx.design.kind === 'reducer' ? reducerExcuse(record, capacity) : handlerExcuse(record, capacity);
    if (excuse.allowed) continue;
    const last = excuse.entry ?? record.entry;
    findings.violate(
      last === record.entry ? [record.entry.i] : [last.i, record.entry.i],
      `${record.conn}: event ${record.id} was never delivered on a connection that was ready and stayed open: ${excuse.why} ${where(last).at}`,
    );
  }
  return findings.verdict();
}

/**
 * The emits to connections the design knew of and that never closed, with their outcome or
 * return, and the connections that became ready. Pure.
 */
function emitsToJudge(
  entries: readonly TraceEntry[],
  { ctx, facts, touched }: ProgressFacts,
): { readonly emits: ReadonlyMap<string, Emitted>; readonly ready: ReadonlySet<string> } {
  const held = facts.held();
  const exposesPhase = facts.exposesPhase;
  const handler = ctx.design.kind === 'handler';
  // Connections a reducer design knows of, from its open (the driver steps it at once); a
  // handler design knows one from its first socket call or report (its endpoint task started).
  const opened = new Set<string>();
  const ready = new Set<string>();
  const emits = new Map<string, Emitted>();
  for (const entry of entries) {
    const conn = entry.conn;
    if (conn === null) continue;
    if (entry.actor === 'workload' && entry.action === 'open') {
      if (!handler) opened.add(conn);
      continue;
    }
    if (becameReady(entry, exposesPhase, ctx)) ready.add(conn);
    if (entry.actor === 'workload' && entry.action === 'emit') {
      const id = entry.detail.eventId;
      const known = handler ? (touched.get(conn) ?? Infinity) < entry.i : opened.has(conn);
      if (!known || facts.closedAt.has(conn)) continue;
      const othersInHand = held.othersInHand.get(deliveryKey(conn, id));
      emits.set(id, { entry, id, conn, outcome: undefined, returned: undefined, othersInHand });
    } else if (entry.actor === 'workload' && entry.action === 'emitReturned') {
      const record = emits.get(entry.detail.eventId);
      if (record?.conn === conn) record.returned = entry;
    } else if (entry.actor === 'design' && entry.action === 'outcome') {
      const record = emits.get(entry.detail.eventId);
      if (record?.conn === conn) record.outcome ??= entry;
    }
  }
  return { emits, ready };
}

interface Excuse {
  readonly allowed: boolean;
  readonly why: string;
  readonly entry?: TraceEntry;
}

/** Whether the buffer rules applied: `capacity` other events were in hand. Pure. */
function bufferFull(record: Emitted, capacity: number): boolean {
  return (record.othersInHand ?? 0) >= capacity;
}

/** "with 3 other events in hand, capacity 8". Pure. */
function room(record: Emitted, capacity: number): string {
  return `with ${record.othersInHand ?? 0} other events in hand, capacity ${capacity}`;
}

function reducerExcuse(record: Emitted, capacity: number): Excuse {
  if (record.outcome === undefined) return { allowed: false, why: 'it has no outcome' };
  const outcome = record.outcome.detail.outcome;
  const { kind } = outcome;
  // A trace file's outcome may carry fields beyond its kind's (traceFormat.ts reads it loosely).
  const reason: unknown = (outcome as { readonly reason?: unknown }).reason;
  const label = `${kind}(${typeof reason === 'string' ? reason : ''})`;
  const bufferRule =
    (kind === 'dropped' && reason === 'overflow') || (kind === 'refused' && reason === 'backpressure');
  if (bufferRule && bufferFull(record, capacity)) return { allowed: true, why: label };
  if (bufferRule)
    return { allowed: false, why: `reported ${label} ${room(record, capacity)}`, entry: record.outcome };
  if (kind === 'delivered')
    return { allowed: false, why: `reported ${label} but not on its wire`, entry: record.outcome };
  return { allowed: false, why: `reported ${label}, not a buffer rule`, entry: record.outcome };
}

function handlerExcuse(record: Emitted, capacity: number): Excuse {
  const returned = record.returned;
  if (returned === undefined) return { allowed: false, why: 'its emit never returned' };
  const { result } = returned.detail;
  if (result === 'false' && bufferFull(record, capacity))
    return { allowed: true, why: 'refused with the buffer full' };
  if (result === 'false')
    return { allowed: false, why: `its emit returned false ${room(record, capacity)}`, entry: returned };
  if (result === 'threw') {
    const { error } = returned.detail;
    return {
      allowed: false,
      why: `its emit threw${error === undefined ? '' : ` (${error})`}`,
      entry: returned,
    };
  }
  return { allowed: false, why: 'its emit returned true', entry: returned };
}
