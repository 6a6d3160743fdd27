/**
 * P7 accounted (SPEC sections 5 and 7): every emit has exactly one final outcome; nothing
 * is lost silently.
 */
import type { DesignOutcome, WorkloadEmit, WorkloadEmitReturned } from '../trace/entry.ts';
import type { TraceFacts } from './connectionFacts.ts';
import { defineProperty, type PropertyDef } from './fold.ts';
import { Findings } from './findings.ts';
import { isDataSend, isDataWire, unreadableFinding, where } from './frames.ts';
import type { DataWire } from './frames.ts';

interface EmitRecord {
  readonly entry: WorkloadEmit;
  readonly id: string;
  readonly conn: string;
  /** Reducer designs: `design/outcome` entries for this emit. */
  outcomes: DesignOutcome[];
  /** Data frames on its connection containing it (`net/wire`). */
  deliveries: DataWire[];
  /** The app's data sends on its connection containing it (`app/send`), by index. */
  sends: number[];
  /** The `workload/emitReturned` entry, when the call returned. */
  returned: WorkloadEmitReturned | undefined;
}

/**
 * Each `workload/emit` must end in exactly one final outcome.
 * Reducer designs: exactly one `design/outcome` for it, and that outcome must agree with the
 * wire (a reducer reports outcomes as data, so the checker compares them with what left):
 * - `delivered(seq)` needs a `net/wire` data frame on its connection containing the event,
 *   anywhere in the trace (the reference reports it on `sendCompleted`, after the wire
 *   entry); when that frame carries a seq for the event, it must be the outcome's seq.
 * - an event that reached the wire must be `delivered`, never `dropped`, `refused` or
 *   `undeliverable('authFailed')` (SPEC section 5: on auth failure nothing reaches the wire).
 *   One exception, true to SPEC section 5: `undeliverable('closed')` reported after the
 *   design had already handed the frame to the socket (an `app/send` containing it comes
 *   before the outcome). On entering `closed` the core settles every in-flight send as
 *   undeliverable (docs/core.md); the write it started may still succeed, and the core
 *   cannot know whether the peer read it. The caller was told openly, so nothing is lost
 *   silently. Reporting undeliverable first and sending afterwards is a violation.
 * - an event reaches the wire at most once.
 * Handler designs: delivered once (a `net/wire` data frame on its connection contains it)
 * or refused openly (`emitReturned` `false` or `threw`), not both, not neither: an emit that
 * returned `true` (or never returned) and never reached the wire was lost silently.
 * Exercised by every emit.
 *
 * @example p07Accounted.check(run, ctx).status // 'held'
 */
export const p07Accounted: PropertyDef = defineProperty({
  id: 'P7',
  name: 'accounted',
  summary:
    'Every emit ends in exactly one outcome (delivered, dropped, refused or undeliverable) that the ' +
    'caller can see; an event accepted and then never delivered was lost silently.',
  precondition: 'an emit',
  reads: ['workload', 'design', 'net', 'app'],
  init: (_run, ctx) => ({ findings: new Findings('P7'), emits: new Map<string, EmitRecord>(), ctx }),
  step({ findings, emits }, entry, facts) {
    const conn = entry.conn;
    if (conn === null) return;
    if (entry.actor === 'workload' && entry.action === 'emit') {
      const id = entry.detail.eventId;
      findings.exercised++;
      emits.set(id, {
        entry,
        id,
        conn,
        outcomes: [],
        deliveries: [],
        sends: [],
        returned: undefined,
      });
    } else if (entry.actor === 'workload' && entry.action === 'emitReturned') {
      const record = recordOf(emits, conn, entry.detail.eventId);
      if (record !== undefined) record.returned = entry;
    } else if (entry.actor === 'design' && entry.action === 'outcome') {
      recordOf(emits, conn, entry.detail.eventId)?.outcomes.push(entry);
    } else if (isDataWire(entry)) {
      const reading = facts.readingOf(entry);
      if ('unreadable' in reading) findings.violate([entry.i], unreadableFinding(entry, reading.unreadable));
      for (const id of facts.eventIdsOf(entry)) recordOf(emits, conn, id)?.deliveries.push(entry);
    } else if (isDataSend(entry)) {
      for (const id of facts.eventIdsOf(entry)) recordOf(emits, conn, id)?.sends.push(entry.i);
    }
  },
  finish({ findings, emits, ctx }, facts) {
    for (const record of emits.values()) {
      if (ctx.design.kind === 'reducer') judgeReducer(record, findings, facts);
      else judgeHandler(record, findings);
    }
    return findings.verdict();
  },
});

function recordOf(emits: Map<string, EmitRecord>, conn: string, id: string): EmitRecord | undefined {
  // An event id names one emit to one connection: the same id elsewhere is not this emit.
  const record = emits.get(id);
  return record?.conn === conn ? record : undefined;
}

function judgeReducer(record: EmitRecord, findings: Findings, facts: TraceFacts): void {
  const { entry, id, conn, outcomes, deliveries } = record;
  const first = outcomes[0];
  if (first === undefined) {
    findings.violate([entry.i], `${conn}: event ${id} emitted ${where(entry).at} has no outcome`);
  } else {
    if (outcomes.length > 1) {
      const second = (outcomes[1] as DesignOutcome).i;
      findings.violate(
        [second, entry.i],
        `${conn}: event ${id} has ${outcomes.length} outcomes (second at step ${second})`,
      );
    }
    judgeAgainstWire(record, first, findings, facts);
  }
  const again = deliveries[1];
  if (again !== undefined) {
    findings.violate(
      [again.i, entry.i],
      `${conn}: event ${id} reached the wire ${deliveries.length} times ${where(again).at}`,
    );
  }
}

/** The reducer's (first) outcome of an emit against the frames that carried it. */
function judgeAgainstWire(
  record: EmitRecord,
  outcomeEntry: DesignOutcome,
  findings: Findings,
  facts: TraceFacts,
): void {
  const { entry, id, conn, deliveries, sends } = record;
  const outcome = outcomeEntry.detail.outcome;
  const wire = deliveries[0];
  const { at } = where(outcomeEntry);
  if (outcome.kind === 'delivered') {
    const claim = `${conn}: event ${id} reported delivered(seq ${outcome.seq}) ${at}`;
    if (wire === undefined) {
      findings.violate([outcomeEntry.i, entry.i], `${claim} but never reached the wire`);
      return;
    }
    const frameSeq = seqOfEvent(wire, id, facts);
    if (frameSeq !== undefined && frameSeq !== outcome.seq) {
      findings.violate(
        [outcomeEntry.i, wire.i, entry.i],
        `${claim} but its frame at step ${wire.i} carries seq ${frameSeq}`,
      );
    }
    return;
  }
  if (wire === undefined) return;
  const handedOver = sends.some((send) => send < outcomeEntry.i);
  if (outcome.kind === 'undeliverable' && outcome.reason === 'closed' && handedOver) return;
  findings.violate(
    [Math.max(wire.i, outcomeEntry.i), entry.i],
    `${conn}: event ${id} reached the wire at step ${wire.i} but was reported ` +
      `${outcome.kind}(${outcome.reason}) at step ${outcomeEntry.i}`,
  );
}

/** The seq a wire entry's frame gives event `id`, read by the codec; undefined when it gives none. */
function seqOfEvent(wire: DataWire, id: string, facts: TraceFacts): number | undefined {
  const reading = facts.readingOf(wire);
  if (!('events' in reading)) return undefined;
  return reading.events.find((e) => e.eventId === id && e.seq !== null)?.seq ?? undefined;
}

function judgeHandler(record: EmitRecord, findings: Findings): void {
  const { entry, id, conn, deliveries, returned } = record;
  const result = returned?.detail.result;
  const refused = result === 'false' || result === 'threw';
  const delivered = deliveries[0]?.i;
  if (delivered === undefined && !refused) {
    const claim = returned === undefined ? 'its emit never returned' : 'its emit returned true';
    findings.violate(
      [returned?.i ?? entry.i, entry.i],
      `${conn}: event ${id} emitted ${where(entry).at} was lost silently: ${claim} and it never reached the wire`,
    );
  } else if (delivered !== undefined && refused && returned !== undefined) {
    findings.violate(
      [Math.max(delivered, returned.i), entry.i],
      `${conn}: event ${id} was reported ${result === 'threw' ? 'failed (threw)' : 'refused (false)'} but reached the wire at step ${delivered}`,
    );
  } else if (deliveries.length > 1) {
    const second = (deliveries[1] as DataWire).i;
    findings.violate([second, entry.i], `${conn}: event ${id} reached the wire ${deliveries.length} times`);
  }
}
