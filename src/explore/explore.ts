/**
 * Random exploration of one design under one profile: fast-check generates scenarios, the
 * simulation runs them, the checkers judge the traces, and every violated property gets a
 * shrunk, replayable counterexample.
 */
import type { LifecycleConfig } from '../core/types.ts';
import type { Design, DesignPaths } from '../sim/types.ts';
import { declaredPaths, runChunk, shrinkAt, type ChunkSubject, type RunHooks } from './exploreChunk.ts';
import { exploreRounds, type ChunkExecutor } from './exploreRounds.ts';
import type { DesignReport } from './exploreTypes.ts';
import type { CheckContext } from '../properties/propertyTypes.ts';
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

export type { Counterexample, DesignReport, DeterminismFailure, PropertyResult } from './exploreTypes.ts';

/** The checkers' view of a design. Pure. */
export function contextOf(design: Design, profile: ExploreProfile): CheckContext {
  // A Python app is judged as a handler design is (its own code drives the socket), ready
  // once its accept is on the wire.
  const base =
    design.kind === 'python'
      ? ({ name: design.name, kind: 'handler', readyOnAccept: true } as const)
      : ({ name: design.name, kind: design.kind } as const);
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
