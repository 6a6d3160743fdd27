/**
 * Random exploration of one design under one profile: fast-check generates scenarios, the
 * simulation runs them, the checkers judge the traces, and every violated property gets a
 * shrunk, replayable counterexample.
 */
import type { LifecycleConfig } from '../core/types.ts';
import type { Design, DesignPaths, Scenario, TraceEntry } from '../sim/types.ts';
import { declaredPaths, runChunk, shrinkAt, type ChunkSubject, type RunHooks } from './exploreChunk.ts';
import { exploreRounds, type ChunkExecutor } from './exploreRounds.ts';
import type { PathCount } from './pathTally.ts';
import type { CheckContext, PropertyId, PropertyStatus } from './propertyTypes.ts';
import type { ExploreProfile } from './scenarioArb.ts';

/** Options of `explore`. `runs` bounds the generated runs (shrinking runs are extra). */
export interface ExploreOptions {
  readonly runs: number;
  readonly seed: number;
  readonly profile: ExploreProfile;
  readonly config?: LifecycleConfig;
  /**
   * Most simulation runs spent shrinking one counterexample (default 400). Past it the
   * remaining shrink candidates are not run (they count as passing), so fast-check stops with
   * the smallest failure found so far. A count, not a time limit: results stay reproducible.
   */
  readonly maxShrinkRuns?: number;
  /** Called after every generated run with the number of runs done so far. */
  readonly onProgress?: (runsDone: number) => void;
  /**
   * Called before every generated run with its fast-check round seed and its index in the
   * round: `replay --seed <seed> --path <index>` reproduces it (a watchdog names a run that
   * never ends this way). Shrinking runs are announced too, with index -1.
   */
  readonly onRunStart?: (seed: number, index: number) => void;
  /** Awaited after every generated run (an isolated worker checks the run left nothing behind). */
  readonly afterRun?: () => Promise<void>;
  /**
   * Every `determinismEvery`-th generated run (1st, then every n-th) is run a second time and
   * its trace compared with the first, so a design deciding by `Math.random` or real time is
   * caught even when it violates nothing (default 16; 0 turns the sampling off).
   */
  readonly determinismEvery?: number;
}

/** A shrunk counterexample of one property, with everything needed to replay it. */
export interface Counterexample {
  readonly property: PropertyId;
  readonly message: string;
  readonly profile: ExploreProfile;
  /** fast-check seed of the round that found it (`replay --seed`). */
  readonly seed: number;
  /** fast-check counterexample path (`replay --path`). */
  readonly path: string;
  readonly scenario: Scenario;
  /** Trace indexes of the offending entries. */
  readonly offending: readonly number[];
  /** The cut trace a reader needs; its length is the counterexample's "steps". */
  readonly timeline: readonly TraceEntry[];
  /** Generated runs (over all rounds of this exploration) up to the first failing one. */
  readonly runsToFirstFailure: number;
  /** Wall-clock milliseconds to the first failing run (only printed with --timing). */
  readonly msToFirstFailure: number;
  readonly shrinks: number;
}

/** A shrunk scenario whose second run produced a different trace than the first. */
export interface DeterminismFailure {
  readonly profile: ExploreProfile;
  readonly seed: number;
  readonly path: string;
  readonly scenario: Scenario;
  /** Index of the first differing trace line. */
  readonly firstDifference: number;
  /** Found by re-running a sampled generated run (`path` is then its index), not a counterexample. */
  readonly sampled?: boolean;
}

/** Aggregated result of one property over an exploration. */
export interface PropertyResult {
  readonly id: PropertyId;
  readonly status: PropertyStatus;
  readonly runs: number;
  /** Runs in which the property's precondition occurred (coverage). */
  readonly exercised: number;
  readonly counterexample?: Counterexample;
}

/** What `explore` returns for one design and one profile. */
export interface DesignReport {
  readonly name: string;
  readonly profile: ExploreProfile;
  readonly seed: number;
  readonly runs: number;
  readonly properties: readonly PropertyResult[];
  readonly determinismFailures: readonly DeterminismFailure[];
  readonly elapsedMs: number;
  /**
   * Generated runs that reached each code path the design declares (src/check/pathTally.ts);
   * absent when it declares none and reached none.
   */
  readonly paths?: readonly PathCount[];
}

/** The checkers' view of a design. Pure. */
export function contextOf(design: Design, profile: ExploreProfile): CheckContext {
  const base = { name: design.name, kind: design.kind } as const;
  const withAliases =
    design.kind === 'handler' && design.phaseAliases !== undefined
      ? { ...base, phaseAliases: design.phaseAliases }
      : base;
  // The design's own frame codec, when it declares one, reads its frames (P7, P8, P12, P14).
  const withCodec =
    design.decodeFrame === undefined ? withAliases : { ...withAliases, decodeFrame: design.decodeFrame };
  return { design: withCodec, profile };
}

export { firstDifference } from './exploreChunk.ts';

/**
 * The executor that runs an exploration in this thread: one chunk per round (all its runs,
 * so nothing is speculative), with the options' hooks around every run.
 */
function inThread(design: Design, options: ExploreOptions): ChunkExecutor<never> {
  const subject: ChunkSubject = {
    design,
    profile: options.profile,
    ctx: contextOf(design, options.profile),
    ...(options.config === undefined ? {} : { config: options.config }),
  };
  const hooks: RunHooks = {
    ...(options.onRunStart === undefined ? {} : { onRunStart: options.onRunStart }),
    ...(options.onProgress === undefined ? {} : { onRun: options.onProgress }),
    ...(options.afterRun === undefined ? {} : { afterRun: options.afterRun }),
  };
  return {
    outstanding: () => 1,
    chunkSize: (_k, left) => left,
    chunk: async (task) => ({ ok: true, value: await runChunk(subject, task, hooks) }),
    shrink: async (task) => ({ ok: true, value: await shrinkAt(subject, task, hooks) }),
    cancel: () => {},
  };
}

/** The `paths` field of an exploration plan for `design`, when it declares paths. Pure. */
export function withPaths(design: Design): { readonly paths?: DesignPaths } {
  const paths = declaredPaths(design);
  return paths === undefined ? {} : { paths };
}

/**
 * Explores `design` with `runs` generated scenarios from `seed`. Not pure (runs the
 * simulation, reads the wall clock for timing only); the result is a function of
 * (design, runs, seed, profile, config) except `elapsedMs` and `msToFirstFailure`.
 *
 * The whole matrix is explored: after a failure, a new fast-check round (seed + round
 * number) looks only for properties not yet violated, until `runs` generated runs are spent.
 * The rounds run in this thread (exploreRounds.ts); `check` runs the same rounds split over
 * worker threads and gets the same report.
 *
 * @example
 * const report = await explore(reference, { runs: 500, seed: 1, profile: 'lan' });
 * report.properties.every((p) => p.status !== 'violated'); // true
 */
export async function explore(design: Design, options: ExploreOptions): Promise<DesignReport> {
  const { runs, seed, profile } = options;
  const outcome = await exploreRounds(
    {
      name: design.name,
      profile,
      seed,
      runs,
      ...(options.maxShrinkRuns === undefined ? {} : { maxShrinkRuns: options.maxShrinkRuns }),
      ...(options.determinismEvery === undefined ? {} : { determinismEvery: options.determinismEvery }),
      ...withPaths(design),
    },
    inThread(design, options),
  );
  // The in-thread executor never stops an exploration.
  if (!outcome.ok) throw new Error('unreachable: an in-thread exploration stopped');
  return outcome.value;
}
