/**
 * An exploration as rounds of chunks: the coordinator that hands a round's runs out in
 * chunks of consecutive indexes (to this thread or to workers, through a `ChunkExecutor`),
 * merges their results in index order, ends the round at its first failing run exactly where
 * one fast-check call would, shrinks that run once, and starts the next round. The report is
 * the same whatever the chunk sizes and however many chunks ran at once.
 */
import { CoverageTally } from './coverage.ts';
import type { Counterexample, DesignReport, DeterminismFailure, PropertyResult } from './exploreTypes.ts';
import type { ChunkResult, ChunkTask, RoundState, ShrinkResult, ShrinkTask } from './exploreChunk.ts';
import { PathTally } from './pathTally.ts';
import type { PropertyId } from '../properties/propertyTypes.ts';
import type { DesignPaths } from '../sim/types.ts';
import type { ExploreProfile } from './scenarioArb.ts';

/** A piece of work's result, or why the exploration must stop (a runaway run, say). */
export type Outcome<T, S> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly stop: S };

/** Where chunks and shrinks run. */
export interface ChunkExecutor<S> {
  /** Chunks worth having handed out at once (those beyond the free runners wait their turn). */
  outstanding(): number;
  /** Runs in the `k`-th chunk of a round (0-based) when `left` runs of it are not handed out. */
  chunkSize(k: number, left: number): number;
  chunk(task: ChunkTask): Promise<Outcome<ChunkResult, S>>;
  shrink(task: ShrinkTask): Promise<Outcome<ShrinkResult, S>>;
  /** Every chunk handed out and not yet merged is no longer wanted; its result is ignored. */
  cancel(): void;
}

/** What is explored, as data (the design itself is the executor's business). */
export interface ExplorationPlan {
  readonly name: string;
  readonly profile: ExploreProfile;
  readonly seed: number;
  readonly runs: number;
  readonly maxShrinkRuns?: number;
  readonly determinismEvery?: number;
  /** The code paths the design declares (its `paths`), counted from 0. */
  readonly paths?: DesignPaths;
  /** Called as merged chunks add up: the generated runs that count so far. */
  readonly onProgress?: (runsDone: number) => void;
}

/** What an exploration has gathered so far, across rounds. */
interface Gathered {
  readonly tally: CoverageTally;
  readonly pathTally: PathTally;
  readonly found: Map<PropertyId, Counterexample>;
  /** Properties whose counterexample did not replay identically: not looked for again. */
  readonly nondeterministic: Set<PropertyId>;
  readonly determinismFailures: DeterminismFailure[];
  /** Generated runs merged so far. */
  used: number;
}

/** One sampled difference is reported per exploration: it is enough to say so. */
function sampleDone(g: Gathered): boolean {
  return g.determinismFailures.some((d) => d.sampled === true);
}

/**
 * One round: its runs handed out in chunks and merged in index order, up to the round's first
 * failing run. The chunks after it ran on an assumption now false: they are cancelled.
 *
 * @returns the failing run (null: none failed), or the first stop.
 */
async function runRound<S>(
  plan: ExplorationPlan,
  executor: ChunkExecutor<S>,
  state: RoundState,
  g: Gathered,
): Promise<Outcome<ChunkResult['failure'], S>> {
  const total = plan.runs - g.used;
  const handedOut: Promise<Outcome<ChunkResult, S>>[] = [];
  let next = 0;
  let k = 0;
  for (;;) {
    while (next < total && handedOut.length < executor.outstanding()) {
      const count = Math.max(1, Math.min(total - next, executor.chunkSize(k++, total - next)));
      handedOut.push(executor.chunk({ ...state, start: next, count }));
      next += count;
    }
    const head = handedOut.shift();
    if (head === undefined) return { ok: true, value: null };
    const outcome = await head;
    if (!outcome.ok) {
      executor.cancel();
      return outcome;
    }
    const r = outcome.value;
    mergeChunk(plan, state, r, g);
    plan.onProgress?.(g.used);
    if (r.failure !== null) {
      if (handedOut.length > 0) executor.cancel();
      return { ok: true, value: r.failure };
    }
  }
}

/** Adds one chunk's coverage, paths, runs and sampled determinism difference to `g`. */
function mergeChunk(plan: ExplorationPlan, state: RoundState, r: ChunkResult, g: Gathered): void {
  g.tally.merge(CoverageTally.fromData(r.tally));
  g.pathTally.merge(PathTally.fromData(plan.paths, r.paths));
  g.used += r.runs;
  if (r.sampled !== null && !sampleDone(g)) {
    const { index, scenario, firstDifference } = r.sampled;
    g.determinismFailures.push({
      profile: plan.profile,
      seed: state.roundSeed,
      path: String(index),
      scenario,
      firstDifference,
      sampled: true,
    });
  }
}

/** Keeps a shrunk run's violations as counterexamples, each property's first one. */
function recordViolations(
  plan: ExplorationPlan,
  roundSeed: number,
  s: Extract<ShrinkResult, { kind: 'found' }>,
  failedAt: { readonly runs: number; readonly ms: number },
  g: Gathered,
): void {
  for (const v of s.violations) {
    g.found.set(v.property, {
      property: v.property,
      message: v.message,
      profile: plan.profile,
      seed: roundSeed,
      path: s.path,
      scenario: s.scenario,
      offending: v.offending,
      timeline: v.timeline,
      runsToFirstFailure: failedAt.runs,
      msToFirstFailure: Math.round(failedAt.ms),
      shrinks: s.shrinks,
    });
  }
}

/** The exploration's report from what it gathered. Reads the clock for `elapsedMs`. */
function reportOf(plan: ExplorationPlan, g: Gathered, started: number): DesignReport {
  const properties = g.tally.summary().map((s): PropertyResult => {
    const counterexample = g.found.get(s.id);
    const base = { id: s.id, runs: s.runs, exercised: s.exercised };
    if (s.firstCheckerError !== undefined)
      return { ...base, status: 'checker-error', checkerError: s.firstCheckerError.message };
    if (counterexample !== undefined) return { ...base, status: 'violated', counterexample };
    return { ...base, status: s.status };
  });
  const paths = g.pathTally.summary();
  return {
    name: plan.name,
    profile: plan.profile,
    seed: plan.seed,
    runs: g.used,
    properties,
    determinismFailures: g.determinismFailures,
    elapsedMs: Math.round(performance.now() - started),
    ...(paths === null ? {} : { paths }),
  };
}

/**
 * Explores `plan` on `executor`. Reads the wall clock for timing fields only; the report is
 * a function of the plan and the design the executor runs, as `explore` documents.
 *
 * @returns the report, or the first stop (in run order) an executor reported.
 */
export async function exploreRounds<S>(
  plan: ExplorationPlan,
  executor: ChunkExecutor<S>,
): Promise<Outcome<DesignReport, S>> {
  const { profile, seed, runs } = plan;
  const started = performance.now();
  const g: Gathered = {
    tally: new CoverageTally(),
    pathTally: new PathTally(plan.paths),
    found: new Map(),
    nondeterministic: new Set(),
    determinismFailures: [],
    used: 0,
  };
  for (let round = 0; g.used < runs; round++) {
    const state: RoundState = {
      roundSeed: seed + round,
      usedBefore: g.used,
      skip: [...g.found.keys(), ...g.nondeterministic],
      determinismEvery: plan.determinismEvery ?? 16,
      sampleDone: sampleDone(g),
    };
    const merged = await runRound(plan, executor, state, g);
    if (!merged.ok) return merged;
    const failure = merged.value;
    if (failure === null) break;
    const failedAt = { runs: g.used, ms: performance.now() - started };
    const shrunk = await executor.shrink({
      ...state,
      index: failure.index,
      fresh: failure.fresh,
      trace: failure.trace,
      maxShrinkRuns: plan.maxShrinkRuns ?? 400,
    });
    if (!shrunk.ok) return shrunk;
    const s = shrunk.value;
    if (s.kind === 'none') break;
    if (s.kind === 'nondeterministic') {
      const { path, scenario, firstDifference } = s;
      g.determinismFailures.push({ profile, seed: state.roundSeed, path, scenario, firstDifference });
      for (const id of s.properties) g.nondeterministic.add(id);
      continue;
    }
    recordViolations(plan, state.roundSeed, s, failedAt, g);
  }
  return { ok: true, value: reportOf(plan, g, started) };
}
