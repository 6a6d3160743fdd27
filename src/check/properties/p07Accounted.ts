/**
 * P7 accounted (SPEC sections 5 and 7): every emit has exactly one final outcome; nothing
 * is lost silently.
 */
import type { RunResult, TraceEntry } from '../../sim/types.ts';
import type { CheckContext, PropertyDef, PropertyVerdict } from '../propertyTypes.ts';
import { Findings } from './findings.ts';
import { detailString, eventIdsOf, isDataWire, where } from './frames.ts';

interface EmitRecord {
  readonly entry: TraceEntry;
  readonly id: string;
  readonly conn: string;
  /** Reducer designs: `design/outcome` entries for this emit. */
  outcomes: number[];
  /** Data frames on its connection containing it. */
  deliveries: number[];
  /** The `workload/emitReturned` entry, when the call returned. */
  returned: TraceEntry | undefined;
}

/**
 * Each `workload/emit` must end in exactly one final outcome.
 * Reducer designs: exactly one `design/outcome` for it.
 * Handler designs: delivered once (a `net/wire` data frame on its connection contains it)
 * or refused openly (`emitReturned` `false` or `threw`), not both, not neither: an emit that
 * returned `true` (or never returned) and never reached the wire was lost silently.
 * Exercised by every emit.
 *
 * @example p07Accounted.check(run, ctx).status // 'held'
 */
export const p07Accounted: PropertyDef = {
  id: 'P7',
  name: 'accounted',
  summary:
    'Every emit ends in exactly one outcome (delivered, dropped, refused or undeliverable) that the ' +
    'caller can see; an event accepted and then never delivered was lost silently.',
  check(run: RunResult, ctx: CheckContext): PropertyVerdict {
    const findings = new Findings('P7');
    const emits = new Map<string, EmitRecord>();
    for (const entry of run.trace) {
      const conn = entry.conn;
      if (conn === null) continue;
      if (entry.actor === 'workload' && entry.action === 'emit') {
        const id = detailString(entry, 'eventId');
        if (id === undefined) continue;
        findings.exercised++;
        emits.set(id, {
          entry,
          id,
          conn,
          outcomes: [],
          deliveries: [],
          returned: undefined,
        });
      } else if (entry.actor === 'workload' && entry.action === 'emitReturned') {
        const record = recordOf(emits, conn, detailString(entry, 'eventId'));
        if (record !== undefined) record.returned = entry;
      } else if (entry.actor === 'design' && entry.action === 'outcome') {
        recordOf(emits, conn, detailString(entry, 'eventId'))?.outcomes.push(entry.i);
      } else if (isDataWire(entry)) {
        for (const id of eventIdsOf(entry)) recordOf(emits, conn, id)?.deliveries.push(entry.i);
      }
    }
    for (const record of emits.values()) {
      if (ctx.design.kind === 'reducer') judgeReducer(record, findings);
      else judgeHandler(record, findings);
    }
    return findings.verdict();
  },
};

function recordOf(
  emits: Map<string, EmitRecord>,
  conn: string,
  id: string | undefined,
): EmitRecord | undefined {
  // An event id names one emit to one connection: the same id elsewhere is not this emit.
  const record = id === undefined ? undefined : emits.get(id);
  return record?.conn === conn ? record : undefined;
}

function judgeReducer(record: EmitRecord, findings: Findings): void {
  const { entry, id, conn, outcomes } = record;
  if (outcomes.length === 0) {
    findings.violate([entry.i], `${conn}: event ${id} emitted ${where(entry).at} has no outcome`);
  } else if (outcomes.length > 1) {
    const second = outcomes[1] as number;
    findings.violate(
      [second, entry.i],
      `${conn}: event ${id} has ${outcomes.length} outcomes (second at step ${second})`,
    );
  }
}

function judgeHandler(record: EmitRecord, findings: Findings): void {
  const { entry, id, conn, deliveries, returned } = record;
  const result = returned === undefined ? undefined : detailString(returned, 'result');
  const refused = result === 'false' || result === 'threw';
  const delivered = deliveries[0];
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
    const second = deliveries[1] as number;
    findings.violate([second, entry.i], `${conn}: event ${id} reached the wire ${deliveries.length} times`);
  }
}
