/**
 * P14 latency (SPEC section 7, seed 000 targets): under the `lan` profile, a connection is
 * ready within 200 ms of simulated time and every event is on the wire within 50 ms.
 */
import type { TraceEntry, WorkloadOpen } from '../trace/entry.ts';
import type { RunResult } from '../trace/types.ts';
import type { CheckContext } from './propertyTypes.ts';
import { deliveryKey } from './connectionFacts.ts';
import type { TraceFacts } from './connectionFacts.ts';
import { defineProperty, type PropertyDef } from './fold.ts';
import { Findings } from './findings.ts';
import { isDataWire, unreadableFinding, where } from './frames.ts';
import type { DataWire } from './frames.ts';
import { becameReady, isAcceptOnWire } from './phaseNames.ts';

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
export const p14Latency: PropertyDef = defineProperty({
  id: 'P14',
  name: 'latency',
  summary:
    'Under the lan profile, every connection is ready within 200 ms and every event reaches the wire ' +
    'within 50 ms of its emit, in simulated time (seed 000 targets).',
  precondition: 'a connection opened under the lan profile',
  reads: ['workload', 'design', 'net'],
  init: (run, ctx): Latency => ({
    findings: new Findings('P14'),
    run,
    ctx,
    applies: ctx.profile === 'lan',
    opened: new Map<string, WorkloadOpen>(),
    // Ready as the trace turns out to show it: by phase when the design exposes one, else by auth.
    byPhase: { exposesPhase: true, ready: new Set<string>(), late: [] } as ReadyTrack,
    byAuth: { exposesPhase: false, ready: new Set<string>(), late: [] } as ReadyTrack,
    // Emitted events keyed by id (one connection each, `emitConn`); broadcast ones by connection too.
    emittedAt: new Map<string, number>(),
    emitConn: new Map<string, string>(),
    broadcastAt: new Map<string, number>(),
    delivered: new Set<string>(),
  }),
  step(state, entry, facts) {
    if (!state.applies) return;
    const conn = entry.conn;
    if (entry.actor === 'workload' && entry.action === 'broadcast')
      state.broadcastAt.set(entry.detail.eventId, entry.t);
    if (conn === null) return;
    if (entry.actor === 'workload' && entry.action === 'open') {
      state.findings.exercised++;
      state.opened.set(conn, entry);
    } else if (entry.actor === 'workload' && entry.action === 'emit') {
      state.emittedAt.set(entry.detail.eventId, entry.t);
      state.emitConn.set(entry.detail.eventId, conn);
    } else if (entry.actor === 'design' || isAcceptOnWire(entry, state.ctx)) {
      // A connection that already began closing is not made ready by a late auth result.
      if ((facts.closedAt.get(conn) ?? Infinity) < entry.i) return;
      markReady(state.byPhase, entry, conn, state.opened, state.ctx);
      markReady(state.byAuth, entry, conn, state.opened, state.ctx);
    } else if (isDataWire(entry)) {
      judgeDelivery(state, entry, conn, facts);
    }
  },
  finish(state, facts) {
    const { findings, ctx, run, opened } = state;
    if (!state.applies) return findings.notApplicable(`profile ${ctx.profile} has no latency targets`);
    const { ready, late } = facts.exposesPhase ? state.byPhase : state.byAuth;
    for (const { steps, message } of late) findings.violate(steps, message);
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
});

/** P14's state on one run. */
interface Latency {
  readonly findings: Findings;
  readonly run: RunResult;
  readonly ctx: CheckContext;
  readonly applies: boolean;
  readonly opened: Map<string, WorkloadOpen>;
  readonly byPhase: ReadyTrack;
  readonly byAuth: ReadyTrack;
  readonly emittedAt: Map<string, number>;
  readonly emitConn: Map<string, string>;
  readonly broadcastAt: Map<string, number>;
  readonly delivered: Set<string>;
}

/** A data frame on `conn`'s wire: each event's first arrival there, against its emit's time. */
function judgeDelivery(state: Latency, entry: DataWire, conn: string, facts: TraceFacts): void {
  const { findings, emittedAt, emitConn, broadcastAt, delivered } = state;
  const reading = facts.readingOf(entry);
  if ('unreadable' in reading) {
    findings.violate([entry.i], unreadableFinding(entry, reading.unreadable));
    return;
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

/** Connections ready as one answer to "does the design report phases?" reads them. */
interface ReadyTrack {
  readonly exposesPhase: boolean;
  readonly ready: Set<string>;
  readonly late: Late[];
}

/** Marks `conn` ready on `track` when `entry` makes it so, noting a late one. */
function markReady(
  track: ReadyTrack,
  entry: TraceEntry,
  conn: string,
  opened: ReadonlyMap<string, WorkloadOpen>,
  ctx: CheckContext,
): void {
  if (track.ready.has(conn) || !becameReady(entry, track.exposesPhase, ctx)) return;
  track.ready.add(conn);
  const open = opened.get(conn);
  if (open !== undefined && entry.t - open.t > readyWithinMs) {
    track.late.push({
      steps: [entry.i, open.i],
      message: `${conn}: ready ${entry.t - open.t}ms after open, target ${readyWithinMs}ms ${where(entry).at}`,
    });
  }
}

/** A connection ready later than the target: the steps and message of that violation. */
interface Late {
  readonly steps: readonly number[];
  readonly message: string;
}
