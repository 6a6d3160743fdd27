/**
 * P14 latency (SPEC section 7, seed 000 targets): under the `lan` profile, a connection is
 * ready within 200 ms of simulated time and every event is on the wire within 50 ms.
 */
import type { RunResult, TraceEntry } from '../trace/types.ts';
import type { CheckContext, PropertyDef, PropertyVerdict } from './propertyTypes.ts';
import { connectionFacts, deliveryKey } from './connectionFacts.ts';
import { Findings } from './findings.ts';
import { codecOf, detailString, isDataWire, readFrame, unreadableFinding, where } from './frames.ts';
import { becameReady } from './phaseNames.ts';

/** Seed 000: "connection ready < 200ms". */
export const readyWithinMs = 200;
/** Seed 000: "event delivery < 50ms". */
export const deliveryWithinMs = 50;

/**
 * Profile `lan` only (not applicable otherwise). Ready is the first applied `design/phase`
 * into `ready` (mapped through the aliases); for a design that exposes no phase, its
 * successful `design/auth` on a connection that has not begun closing. Violated when a connection is ready more than 200 ms after its
 * `workload/open`, or never ready and not closed by then, and when an event reaches the wire
 * more than 50 ms after its `workload/emit` (or `broadcast`). Exercised by every open and
 * every delivered event.
 *
 * @example p14Latency.check(run, { design, profile: 'cloud-run' }).status // 'not-applicable'
 */
export const p14Latency: PropertyDef = {
  id: 'P14',
  name: 'latency',
  summary:
    'Under the lan profile, every connection is ready within 200 ms and every event reaches the wire ' +
    'within 50 ms of its emit, in simulated time (seed 000 targets).',
  precondition: 'a connection opened under the lan profile',
  check(run: RunResult, ctx: CheckContext): PropertyVerdict {
    const findings = new Findings('P14');
    if (ctx.profile !== 'lan') return findings.notApplicable(`profile ${ctx.profile} has no latency targets`);
    const codec = codecOf(ctx);
    const facts = connectionFacts(run.trace, codec);
    // A connection that already began closing is not made ready by a late auth result.
    const closedBefore = (conn: string, entry: TraceEntry): boolean =>
      (facts.closedAt.get(conn) ?? Infinity) < entry.i;
    const exposesPhase = run.trace.some((e) => e.actor === 'design' && e.action === 'phase');
    const opened = new Map<string, TraceEntry>();
    const ready = new Set<string>();
    // Emitted events keyed by id (one connection each, `emitConn`); broadcast ones by connection too.
    const emittedAt = new Map<string, number>();
    const emitConn = new Map<string, string>();
    const broadcastAt = new Map<string, number>();
    const delivered = new Set<string>();
    for (const entry of run.trace) {
      const conn = entry.conn;
      if (entry.actor === 'workload' && entry.action === 'broadcast') {
        const id = detailString(entry, 'eventId');
        if (id !== undefined) broadcastAt.set(id, entry.t);
      }
      if (conn === null) continue;
      if (entry.actor === 'workload' && entry.action === 'open') {
        findings.exercised++;
        opened.set(conn, entry);
      } else if (entry.actor === 'workload' && entry.action === 'emit') {
        const id = detailString(entry, 'eventId');
        if (id !== undefined) {
          emittedAt.set(id, entry.t);
          emitConn.set(id, conn);
        }
      } else if (!ready.has(conn) && becameReady(entry, exposesPhase, ctx) && !closedBefore(conn, entry)) {
        ready.add(conn);
        const open = opened.get(conn);
        if (open !== undefined && entry.t - open.t > readyWithinMs) {
          findings.violate(
            [entry.i, open.i],
            `${conn}: ready ${entry.t - open.t}ms after open, target ${readyWithinMs}ms ${where(entry).at}`,
          );
        }
      } else if (isDataWire(entry)) {
        const reading = readFrame(entry, codec);
        if ('unreadable' in reading) {
          findings.violate([entry.i], unreadableFinding(entry, reading.unreadable));
          continue;
        }
        for (const { eventId: id } of reading.events) {
          const own = emitConn.get(id) === conn;
          const key = own ? id : deliveryKey(conn, id);
          const emitT = own ? emittedAt.get(id) : broadcastAt.get(id);
          if (emitT === undefined || delivered.has(key)) continue;
          delivered.add(key);
          findings.exercised++;
          if (entry.t - emitT > deliveryWithinMs) {
            findings.violate(
              [entry.i],
              `${conn}: event ${id} on the wire ${entry.t - emitT}ms after its emit, target ${deliveryWithinMs}ms ${where(entry).at}`,
            );
          }
        }
      }
    }
    for (const [conn, open] of opened) {
      if (ready.has(conn)) continue;
      const closedAt = facts.closedAt.get(conn);
      const closedT = closedAt === undefined ? undefined : run.trace[closedAt]?.t;
      if (closedT !== undefined && closedT - open.t <= readyWithinMs) continue;
      findings.violate(
        [open.i],
        `${conn}: never ready, and not closed within ${readyWithinMs}ms of open (t=${open.t}ms)`,
      );
    }
    return findings.verdict();
  },
};
