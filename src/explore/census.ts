/**
 * The census of generated runs: how often each fault fired against its knob, and how often
 * each property precondition occurred, per profile. A fault knob is proved by how often it
 * fired in generated runs, not by its existence in a profile.
 */
import fc from 'fast-check';
import type { LifecycleConfig } from '../core/types.ts';
import { Chooser, perMillionScale } from '../sim/chooser.ts';
import { faultLabels, type FaultLabel } from '../sim/faults.ts';
import { runScenario } from '../sim/runScenario.ts';
import type { Design } from '../sim/types.ts';
import type { TraceRecord } from '../trace/types.ts';
import { scenarioArb, type ExploreProfile } from './scenarioArb.ts';

/** The fault predicates of the simulation, by the label they read the chooser with: the fault table's. */
export { faultLabels };

/** One fault's record over a census: asked, fired, and the fires its knobs made due. */
export interface FaultCount {
  readonly label: FaultLabel;
  readonly asked: number;
  readonly fired: number;
  /** Fires due at the knobs' rates (sum over every ask of its rate). */
  readonly expected: number;
}

/** The shared leading characters `longSharedPrefixIds` counts: a git-style short id's length. */
const sharedPrefixMin = 8;

/** The preconditions counted, in report order, with what each means. */
export const preconditions = {
  authFailures: 'an authentication failed',
  authFailuresWithBuffered: 'an authentication failed after events were emitted for that connection',
  sendFailures: 'a write failed because the connection broke',
  abruptDisconnects: 'a browser vanished without a close frame',
  peerCloses: 'a browser sent a close frame',
  heartbeatTimeouts: 'a connection was closed for a missed heartbeat',
  overflowCriticalHead: 'an emit found the buffer full with a critical event oldest',
  overflowAllCritical: 'an emit found the buffer full of critical events only',
  closeDuringFlush: 'a close arrived while events buffered before ready were still being sent',
  emitRacingClose: 'an emit within 3 ms of a close request for its connection',
  broadcastRacingClose: 'a broadcast within 3 ms of a close request',
  multiTabUser: 'one user had several connections in a run',
  prefixUserIds: 'two users of a run had ids where one is a prefix of the other',
  longSharedPrefixIds: `two users of a run had distinct ids sharing ${sharedPrefixMin} or more leading characters`,
  caseOnlyIds: 'two users of a run had distinct ids equal ignoring case',
  utf8BoundaryReason: 'a close reason of 121-125 bytes in multi-byte UTF-8',
  burstAboveCapacityInFlight: 'more emits to one connection in one ms than capacity + sends in flight',
  emitAfterIdle: 'an emit to a connection 500 ms or more after its previous emit',
  writeWaited: 'a write waited for a slow reader (the transport paused above its high-water mark)',
  readyWithBacklogDraining:
    'a connection turned ready with events buffered, and a write waited while that backlog was still being sent',
  emitDuringDrain: 'an emit to a connection while its backlog was still being sent and its writes waited',
} as const;

/** The idle gap before an emit that `emitAfterIdle` counts, in ms. */
const idleGapMs = 500;

export type PreconditionName = keyof typeof preconditions;

/** What `census` returns for one profile. */
export interface ProfileCensus {
  readonly profile: ExploreProfile;
  readonly runs: number;
  readonly faults: readonly FaultCount[];
  /** Per precondition, the number of runs in which it occurred at least once. */
  readonly runsWith: Readonly<Record<PreconditionName, number>>;
  /** Per precondition, how many times it occurred over all runs. */
  readonly occurrences: Readonly<Record<PreconditionName, number>>;
}

/** Options of `census`. */
export interface CensusOptions {
  readonly profile: ExploreProfile;
  readonly runs: number;
  readonly seed: number;
  readonly config?: LifecycleConfig;
}

/**
 * Runs `runs` scenarios of `profile` generated from `seed` (the same ones `check` draws
 * first) against `design` and counts faults and preconditions. Not pure (runs the
 * simulation) but deterministic.
 *
 * @example
 * const c = await census(reference, { profile: 'hostile', runs: 200, seed: 1 });
 * c.runsWith.authFailures > 0; // true
 */
export async function census(design: Design, options: CensusOptions): Promise<ProfileCensus> {
  const scenarios = fc.sample(scenarioArb(options.profile), { seed: options.seed, numRuns: options.runs });
  const faults = new Map(faultLabels.map((label) => [label, { asked: 0, fired: 0, expected: 0 }]));
  const runsWith = zeroCounts();
  const occurrences = zeroCounts();
  for (const scenario of scenarios) {
    const chooser = Chooser.fromScenario(scenario.choices, scenario.tailSeed);
    const base = options.config === undefined ? {} : { config: options.config };
    const run = await runScenario(design, scenario, { ...base, chooser });
    for (const [label, count] of chooser.chances) {
      const total = faults.get(label as FaultCount['label']);
      if (total === undefined) continue;
      total.asked += count.asked;
      total.fired += count.fired;
      total.expected += count.expected;
    }
    const found = countPreconditions(run.trace, run.config);
    for (const name of Object.keys(found) as PreconditionName[]) {
      occurrences[name] += found[name];
      if (found[name] > 0) runsWith[name] += 1;
    }
  }
  return {
    profile: options.profile,
    runs: scenarios.length,
    faults: faultLabels.map((label) => {
      const { asked, fired, expected } = faults.get(label) ?? { asked: 0, fired: 0, expected: 0 };
      return { label, asked, fired, expected: expected / perMillionScale };
    }),
    runsWith,
    occurrences,
  };
}

function zeroCounts(): Record<PreconditionName, number> {
  const counts = {} as Record<PreconditionName, number>;
  for (const name of Object.keys(preconditions) as PreconditionName[]) counts[name] = 0;
  return counts;
}

interface ConnFacts {
  userId: string;
  ready: boolean;
  /** Events buffered before ready, oldest first: whether each is critical. */
  readonly buffered: boolean[];
  emitted: number;
  /** Data frames on the wire since ready, while the buffered ones are being sent. */
  wiredSinceReady: number;
  flushSize: number;
  closed: boolean;
  /** Time of the connection's last emit, null before its first. */
  lastEmitAt: number | null;
  /** Its transport is paused: writes wait for the reader. */
  paused: boolean;
  /** A write waited while the backlog of ready was still being sent (counted once). */
  drainWaited: boolean;
}

/** Whether the connection is ready and still sending what was buffered before ready. */
function draining(f: ConnFacts): boolean {
  return f.ready && !f.closed && f.wiredSinceReady < f.flushSize;
}

const utf8 = new TextEncoder();
const raceWindowMs = 3;

/** What the walk over one trace keeps besides the counts. */
interface Walk {
  readonly counts: Record<PreconditionName, number>;
  readonly config: LifecycleConfig;
  readonly conns: Map<string, ConnFacts>;
  readonly closeRequests: { conn: string; t: number }[];
  readonly emits: { conn: string; t: number }[];
  readonly broadcasts: number[];
  readonly emitsPerMs: Map<string, number>;
}

/**
 * Counts the preconditions of one trace. Pure. The buffer is followed as the workload
 * fills it before ready (SPEC section 5's rules: the oldest non-critical goes, a newcomer
 * is refused when every held event is critical), whatever the design does with it.
 */
export function countPreconditions(
  trace: readonly TraceRecord[],
  config: LifecycleConfig,
): Record<PreconditionName, number> {
  const walk: Walk = {
    counts: zeroCounts(),
    config,
    conns: new Map(),
    closeRequests: [],
    emits: [],
    broadcasts: [],
    emitsPerMs: new Map(),
  };
  for (const e of trace) {
    const f = e.conn === null ? null : factsOf(walk.conns, e.conn);
    if (e.actor === 'workload') countWorkload(walk, e, f);
    else countReaction(walk.counts, e, f);
  }
  countRaces(walk);
  countUserIds(walk.counts, walk.conns);
  return walk.counts;
}

/** The facts of `conn`, created empty on its first entry. */
function factsOf(conns: Map<string, ConnFacts>, conn: string): ConnFacts {
  let f = conns.get(conn);
  if (f === undefined) {
    f = {
      userId: '',
      ready: false,
      buffered: [],
      emitted: 0,
      wiredSinceReady: 0,
      flushSize: 0,
      closed: false,
      lastEmitAt: null,
      paused: false,
      drainWaited: false,
    };
    conns.set(conn, f);
  }
  return f;
}

/** One workload entry: what the clients and the app asked for. */
function countWorkload(walk: Walk, e: TraceRecord, f: ConnFacts | null): void {
  const { counts, config } = walk;
  const detail = e.detail ?? {};
  switch (e.action) {
    case 'open':
      if (f !== null) f.userId = String(detail['userId'] ?? '');
      break;
    case 'emit': {
      if (f === null) break;
      f.emitted += 1;
      if (f.lastEmitAt !== null && e.t - f.lastEmitAt >= idleGapMs) counts.emitAfterIdle += 1;
      f.lastEmitAt = e.t;
      walk.emits.push({ conn: e.conn ?? '', t: e.t });
      const key = `${e.conn}@${e.t}`;
      const inMs = (walk.emitsPerMs.get(key) ?? 0) + 1;
      walk.emitsPerMs.set(key, inMs);
      if (inMs === config.capacity + config.maxInFlight + 1) counts.burstAboveCapacityInFlight += 1;
      if (f.paused && draining(f)) counts.emitDuringDrain += 1;
      if (!f.ready && !f.closed) buffer(f, detail['critical'] === true, config.capacity, counts);
      break;
    }
    case 'broadcast':
      walk.broadcasts.push(e.t);
      break;
    case 'appClose': {
      walk.closeRequests.push({ conn: e.conn ?? '', t: e.t });
      const reason = String(detail['reason'] ?? '');
      const bytes = utf8.encode(reason).length;
      if (bytes !== reason.length && bytes >= 121 && bytes <= 125) counts.utf8BoundaryReason += 1;
      if (f !== null) noteClose(f, counts);
      break;
    }
    default:
      break;
  }
}

/** One entry of the design, the network, the client or the app: how the system reacted. */
function countReaction(counts: Record<PreconditionName, number>, e: TraceRecord, f: ConnFacts | null): void {
  const detail = e.detail ?? {};
  switch (`${e.actor}/${e.action}`) {
    case 'design/auth':
      if (f !== null && detail['ok'] === false) {
        counts.authFailures += 1;
        if (f.emitted > 0) counts.authFailuresWithBuffered += 1;
      }
      break;
    case 'design/phase':
      if (f !== null && e.phase === 'ready' && !f.ready) {
        f.ready = true;
        f.flushSize = f.buffered.length;
      }
      break;
    case 'net/wire':
      // Event frames only: a heartbeat ping is not part of the flush.
      if (f !== null && f.ready && e.message === 'websocket.send' && !isPing(e.frame)) f.wiredSinceReady += 1;
      break;
    case 'net/paused':
      counts.writeWaited += 1;
      if (f === null) break;
      f.paused = true;
      if (draining(f) && !f.drainWaited) {
        f.drainWaited = true;
        counts.readyWithBacklogDraining += 1;
      }
      break;
    case 'net/resumed':
      if (f !== null) f.paused = false;
      break;
    case 'client/abrupt':
      if (detail['cause'] === 'sendFailure') counts.sendFailures += 1;
      else counts.abruptDisconnects += 1;
      if (f !== null) noteClose(f, counts);
      break;
    case 'client/close':
      if (detail['echo'] !== true) counts.peerCloses += 1;
      if (f !== null && detail['echo'] !== true) noteClose(f, counts);
      break;
    case 'app/close': {
      const frame = e.frame as { readonly reason?: unknown } | undefined;
      if (typeof frame?.reason === 'string' && frame.reason.includes('heartbeat'))
        counts.heartbeatTimeouts += 1;
      break;
    }
    default:
      break;
  }
}

/** Emits and broadcasts within `raceWindowMs` of a close request (an emit: of its own connection's). */
function countRaces(walk: Walk): void {
  const { counts, closeRequests } = walk;
  counts.emitRacingClose = walk.emits.filter((emit) =>
    closeRequests.some((c) => c.conn === emit.conn && Math.abs(c.t - emit.t) <= raceWindowMs),
  ).length;
  counts.broadcastRacingClose = walk.broadcasts.filter((t) =>
    closeRequests.some((c) => Math.abs(c.t - t) <= raceWindowMs),
  ).length;
}

/** Users with several tabs, and user ids that are prefixes, share a long prefix or differ only in case. */
function countUserIds(counts: Record<PreconditionName, number>, conns: ReadonlyMap<string, ConnFacts>): void {
  const users = [...conns.values()].map((c) => c.userId).filter((u) => u !== '');
  counts.multiTabUser = users.length - new Set(users).size;
  const distinct = [...new Set(users)];
  counts.prefixUserIds = distinct.filter((a) => distinct.some((b) => a !== b && b.startsWith(a))).length;
  // Each counts the ids that have such a partner, as prefixUserIds does.
  counts.longSharedPrefixIds = distinct.filter((a) =>
    distinct.some((b) => a !== b && a.length >= sharedPrefixMin && b.startsWith(a.slice(0, sharedPrefixMin))),
  ).length;
  counts.caseOnlyIds = distinct.filter((a) =>
    distinct.some((b) => a !== b && a.toLowerCase() === b.toLowerCase()),
  ).length;
}

function buffer(
  f: ConnFacts,
  critical: boolean,
  capacity: number,
  counts: Record<PreconditionName, number>,
): void {
  if (f.buffered.length < capacity) {
    f.buffered.push(critical);
    return;
  }
  if (f.buffered[0] === true) counts.overflowCriticalHead += 1;
  const oldestNonCritical = f.buffered.indexOf(false);
  if (oldestNonCritical < 0) {
    counts.overflowAllCritical += 1;
    return;
  }
  f.buffered.splice(oldestNonCritical, 1);
  f.buffered.push(critical);
}

function noteClose(f: ConnFacts, counts: Record<PreconditionName, number>): void {
  if (f.closed) return;
  f.closed = true;
  if (f.ready && f.flushSize > 0 && f.wiredSinceReady < f.flushSize) counts.closeDuringFlush += 1;
}

function isPing(frame: TraceRecord['frame']): boolean {
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return false;
  return (frame as { readonly [k: string]: unknown })['kind'] === 'ping';
}
