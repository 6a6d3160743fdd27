/**
 * The two pieces an exploration round is made of, each runnable anywhere (this thread or a
 * worker): a chunk of consecutive generated runs, evaluated as if no run before it failed,
 * and the shrinking of the run that failed. `exploreRounds` (exploreRounds.ts) puts them
 * together into the same report a single fast-check call per round would give.
 *
 * Why this is exact (fast-check 4.10.2, lib/fast-check.js): with `path: "k"` the runner
 * draws the round's values through `lazyToss`, whose producers before k are dropped without
 * generating (each is an `rng.jump()`), and `pathWalk` starts from the value at absolute
 * index k, generated with that index's bias (`generate(rng, idx)`). So values k..k+n-1 are
 * the ones a run from index 0 sees, and `path: String(i)` with shrinking on walks the same
 * shrink tree from value i; `mergePaths` makes the reported path absolute ("i:a:b").
 */
import fc from 'fast-check';
import type { LifecycleConfig } from '../core/types.ts';
import { judgeRun, runDesign } from './runDesign.ts';
import { serializeTrace } from '../sim/trace.ts';
import type { Design, DesignPaths, Scenario } from '../sim/types.ts';
import type { RunResult, TraceRecord } from '../trace/types.ts';
import { CoverageTally, type CoverageData } from './coverage.ts';
import { PathTally } from './pathTally.ts';
import type { CheckContext, PropertyId, PropertyVerdict } from '../properties/propertyTypes.ts';
import { scenarioArb, type ExploreProfile } from './scenarioArb.ts';
import { cutTimeline } from '../trace/cutTimeline.ts';

/** What is explored: a design under a profile (and config), with its checkers' context. */
export interface ChunkSubject {
  readonly design: Design;
  readonly profile: ExploreProfile;
  readonly ctx: CheckContext;
  readonly config?: LifecycleConfig;
}

/** What a round's runs need to know about the exploration before the round. */
export interface RoundState {
  /** fast-check seed of the round (the exploration's seed + round number). */
  readonly roundSeed: number;
  /** Generated runs of the exploration before this round (determinism sampling counts them). */
  readonly usedBefore: number;
  /** Properties no longer looked for: found, or found not to replay identically. */
  readonly skip: readonly PropertyId[];
  /** Every n-th generated run of the exploration is re-run and compared (0: none). */
  readonly determinismEvery: number;
  /** A sampled run already told the design is not deterministic: sample no more. */
  readonly sampleDone: boolean;
}

/** Runs `start`..`start + count - 1` of a round. */
export interface ChunkTask extends RoundState {
  readonly start: number;
  readonly count: number;
}

/** A sampled generated run whose second run gave another trace. */
export interface SampledDifference {
  readonly index: number;
  readonly scenario: Scenario;
  readonly firstDifference: number;
}

/** A chunk's runs, up to and including its first failing run. */
export interface ChunkResult {
  readonly start: number;
  /** Generated runs evaluated: up to the failing run (included), else the whole chunk. */
  readonly runs: number;
  /** Coverage of those runs. */
  readonly tally: CoverageData;
  /** Runs of those that reached each code path (pathTally.ts). */
  readonly paths: ReadonlyMap<string, number>;
  /** The first run violating a property not skipped: its index, the properties, its trace. */
  readonly failure: {
    readonly index: number;
    readonly fresh: readonly PropertyId[];
    readonly trace: string;
  } | null;
  /** The first sampled run that did not replay identically, when sampling was on. */
  readonly sampled: SampledDifference | null;
  /** Stopped early because it was no longer wanted (its result means nothing then). */
  readonly cancelled: boolean;
}

/** Hooks around each run (watchdog cells, progress, leftovers check, cancellation). */
export interface RunHooks {
  /** Before each run: its round seed and index (-1 for a shrinking run). */
  readonly onRunStart?: (seed: number, index: number) => void;
  /** After each generated run: the exploration's generated runs so far. */
  readonly onRun?: (used: number) => void;
  readonly afterRun?: () => Promise<void>;
  /** Checked before each run: true ends the chunk at once (marked cancelled). */
  readonly cancelled?: () => boolean;
}

/** Index of the first differing line of two serialized traces, or -1 when equal. Pure. */
export function firstDifference(a: string, b: string): number {
  if (a === b) return -1;
  const la = a.split('\n');
  const lb = b.split('\n');
  const n = Math.max(la.length, lb.length);
  for (let k = 0; k < n; k++) if (la[k] !== lb[k]) return k;
  return n;
}

/** The code paths a design declares (handler designs only). Pure. */
export const declaredPaths = (design: Design): DesignPaths | undefined =>
  design.kind === 'handler' ? design.paths : undefined;

const runOf = (s: ChunkSubject, scenario: Scenario): Promise<RunResult> =>
  runDesign(s.design, scenario, s.config);

/**
 * A run that threw instead of returning a trace (only a Python design's runner process can:
 * it died). fast-check would take the throw for a failing run and shrink it; instead the
 * property stops at the first one and the chunk rethrows it, so the pool reports a crash.
 */
class Aborted {
  error: unknown = undefined;

  /** `run`, or undefined once a run threw (the error is kept). */
  async run<T>(run: () => Promise<T>): Promise<T | undefined> {
    if (this.error !== undefined) return undefined;
    try {
      return await run();
    } catch (e) {
      this.error = e;
      return undefined;
    }
  }

  /** Throws the kept error, if any. */
  rethrow(): void {
    if (this.error !== undefined) throw this.error;
  }
}

const freshOf = (verdicts: readonly PropertyVerdict[], skip: ReadonlySet<PropertyId>): PropertyVerdict[] =>
  verdicts.filter((v) => v.status === 'violated' && !skip.has(v.id));

/**
 * Evaluates one chunk of a round, assuming no run before it failed. Not pure (runs the
 * simulation); the result is a function of the subject and the task.
 */
export async function runChunk(
  subject: ChunkSubject,
  task: ChunkTask,
  hooks: RunHooks = {},
): Promise<ChunkResult> {
  const skip = new Set(task.skip);
  const tally = new CoverageTally();
  const pathTally = new PathTally(declaredPaths(subject.design));
  const every = task.determinismEvery;
  let index = task.start;
  let failure: ChunkResult['failure'] = null;
  let sampled: SampledDifference | null = null;
  let cancelled = false;
  const aborted = new Aborted();
  const property = fc.asyncProperty(scenarioArb(subject.profile), async (scenario) => {
    if (hooks.cancelled?.() === true) {
      cancelled = true;
      return false;
    }
    hooks.onRunStart?.(task.roundSeed, index);
    const run = await aborted.run(() => runOf(subject, scenario));
    if (run === undefined) return false;
    const verdicts = judgeRun(subject.design, run, subject.ctx);
    tally.add(verdicts);
    pathTally.add(run);
    const used = task.usedBefore + index + 1;
    if (every > 0 && used % every === 1 % every && !task.sampleDone && sampled === null) {
      const again = await runOf(subject, scenario);
      const diff = firstDifference(serializeTrace(run.trace), serializeTrace(again.trace));
      if (diff >= 0) sampled = { index, scenario, firstDifference: diff };
    }
    hooks.onRun?.(used);
    await hooks.afterRun?.();
    const fresh = freshOf(verdicts, skip);
    if (fresh.length === 0) {
      index++;
      return true;
    }
    failure = { index, fresh: fresh.map((v) => v.id), trace: serializeTrace(run.trace) };
    return false;
  });
  // endOnFailure: the failing run is shrunk by `shrinkAt`, once its chunk is known to count.
  await fc.check(property, {
    seed: task.roundSeed,
    path: String(task.start),
    numRuns: task.count,
    endOnFailure: true,
  });
  aborted.rethrow();
  const end: number = failure === null ? index : (failure as { index: number }).index + 1;
  return {
    start: task.start,
    runs: end - task.start,
    tally: tally.toData(),
    paths: pathTally.toData(),
    failure,
    sampled,
    cancelled,
  };
}

/** Shrinks the run at `index` of a round, the one whose chunk found `fresh` violated. */
export interface ShrinkTask extends RoundState {
  readonly index: number;
  readonly fresh: readonly PropertyId[];
  /** The failing run's serialized trace, to tell a re-run that does not fail again. */
  readonly trace: string;
  /** Most shrinking runs; past it the candidates count as passing. */
  readonly maxShrinkRuns: number;
}

/** One property's shrunk counterexample, without what only the exploration knows. */
export interface ShrunkViolation {
  readonly property: PropertyId;
  readonly message: string;
  readonly offending: readonly number[];
  readonly timeline: readonly TraceRecord[];
}

/** What shrinking ended with. */
export type ShrinkResult =
  /** Shrunk to `scenario` at `path`, which violates each of `violations` identically when re-run. */
  | {
      readonly kind: 'found';
      readonly path: string;
      readonly scenario: Scenario;
      readonly shrinks: number;
      readonly violations: readonly ShrunkViolation[];
    }
  /** The shrunk run (or the failing run itself) did not replay identically. */
  | {
      readonly kind: 'nondeterministic';
      readonly path: string;
      readonly scenario: Scenario;
      readonly firstDifference: number;
      readonly properties: readonly PropertyId[];
    }
  /** fast-check gave no counterexample (it ends the exploration, as it did sequentially). */
  | { readonly kind: 'none' };

/**
 * Shrinks the failing run at `task.index` the way fast-check shrinks it in a call that found
 * it: the same shrink tree, the same count of shrinking runs (`maxShrinkRuns`, the failing
 * run itself not counted), the same reported path and number of shrinks. Not pure (runs the
 * simulation); the result is a function of the subject and the task.
 */
export async function shrinkAt(
  subject: ChunkSubject,
  task: ShrinkTask,
  hooks: RunHooks = {},
): Promise<ShrinkResult> {
  const skip = new Set(task.skip);
  let first = true;
  let shrinkRuns = 0;
  let lastFailing: { run: RunResult; verdicts: readonly PropertyVerdict[] } | undefined;
  let unlike: { scenario: Scenario; firstDifference: number } | undefined;
  const aborted = new Aborted();
  const property = fc.asyncProperty(scenarioArb(subject.profile), async (scenario) => {
    if (unlike !== undefined || (!first && ++shrinkRuns > task.maxShrinkRuns)) return true;
    hooks.onRunStart?.(task.roundSeed, first ? task.index : -1);
    const run = await aborted.run(() => runOf(subject, scenario));
    if (run === undefined) return true;
    const verdicts = judgeRun(subject.design, run, subject.ctx);
    const fresh = freshOf(verdicts, skip).length > 0;
    if (first && !fresh) {
      // The failing run, run again, failed no more: the design is not deterministic.
      unlike = { scenario, firstDifference: firstDifference(task.trace, serializeTrace(run.trace)) };
    }
    first = false;
    if (!fresh) return true;
    lastFailing = { run, verdicts };
    return false;
  });
  const details = await fc.check(property, { seed: task.roundSeed, path: String(task.index), numRuns: 1 });
  aborted.rethrow();
  if (unlike !== undefined) {
    return { kind: 'nondeterministic', path: String(task.index), ...unlike, properties: task.fresh };
  }
  if (!details.failed || details.counterexample === null || lastFailing === undefined)
    return { kind: 'none' };
  const [scenario] = details.counterexample;
  const path = details.counterexamplePath ?? '';
  const again = await runOf(subject, scenario);
  const diff = firstDifference(serializeTrace(lastFailing.run.trace), serializeTrace(again.trace));
  const fresh = freshOf(lastFailing.verdicts, skip);
  if (diff >= 0) {
    return {
      kind: 'nondeterministic',
      path,
      scenario,
      firstDifference: diff,
      properties: fresh.map((v) => v.id),
    };
  }
  return {
    kind: 'found',
    path,
    scenario,
    shrinks: details.numShrinks,
    violations: fresh.map((v) => ({
      property: v.id,
      message: v.message,
      offending: v.steps,
      timeline: cutTimeline(again.trace, v.steps),
    })),
  };
}
