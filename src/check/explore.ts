/**
 * Random exploration of one design under one profile: fast-check generates scenarios, the
 * simulation runs them, the checkers judge the traces, and every violated property gets a
 * shrunk, replayable counterexample.
 */
import fc from 'fast-check';
import type { LifecycleConfig } from '../core/types.ts';
import { runScenario } from '../sim/runScenario.ts';
import { serializeTrace } from '../sim/trace.ts';
import type { Design, RunResult, Scenario, TraceEntry } from '../sim/types.ts';
import { checkTrace } from './checkTrace.ts';
import { CoverageTally } from './coverage.ts';
import { PathTally, type PathCount } from './pathTally.ts';
import type { CheckContext, PropertyId, PropertyStatus, PropertyVerdict } from './propertyTypes.ts';
import { scenarioArb, type ExploreProfile } from './scenarioArb.ts';
import { cutTimeline } from './timeline.ts';

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

/** Index of the first differing line of two serialized traces, or -1 when equal. Pure. */
export function firstDifference(a: string, b: string): number {
  if (a === b) return -1;
  const la = a.split('\n');
  const lb = b.split('\n');
  const n = Math.max(la.length, lb.length);
  for (let k = 0; k < n; k++) if (la[k] !== lb[k]) return k;
  return n;
}

interface FailingRun {
  readonly run: RunResult;
  readonly verdicts: readonly PropertyVerdict[];
}

/**
 * Explores `design` with `runs` generated scenarios from `seed`. Not pure (runs the
 * simulation, reads the wall clock for timing only); the result is a function of
 * (design, runs, seed, profile, config) except `elapsedMs` and `msToFirstFailure`.
 *
 * The whole matrix is explored: after a failure, a new fast-check round (seed + round
 * number) looks only for properties not yet violated, until `runs` generated runs are spent.
 *
 * @example
 * const report = await explore(reference, { runs: 500, seed: 1, profile: 'lan' });
 * report.properties.every((p) => p.status !== 'violated'); // true
 */
export async function explore(design: Design, options: ExploreOptions): Promise<DesignReport> {
  const { runs, seed, profile, config } = options;
  const started = performance.now();
  const ctx = contextOf(design, profile);
  const tally = new CoverageTally();
  const pathTally = new PathTally(design.kind === 'handler' ? design.paths : undefined);
  const found = new Map<PropertyId, Counterexample>();
  // Properties whose counterexample did not replay identically: not looked for again.
  const nondeterministic = new Set<PropertyId>();
  const determinismFailures: DeterminismFailure[] = [];
  const maxShrinkRuns = options.maxShrinkRuns ?? 400;
  const determinismEvery = options.determinismEvery ?? 16;
  const runOptions = config === undefined ? {} : { config };
  let used = 0;

  // A sampled run, passing or not, replayed and compared: the first difference is reported
  // once per exploration (one is enough to say the design is not deterministic).
  const sampleDeterminism = async (run: RunResult, scenario: Scenario, index: number): Promise<void> => {
    if (determinismFailures.some((d) => d.sampled === true)) return;
    const again = await runScenario(design, scenario, runOptions);
    const diff = firstDifference(serializeTrace(run.trace), serializeTrace(again.trace));
    if (diff >= 0) {
      determinismFailures.push({
        profile,
        seed: currentSeed,
        path: String(index),
        scenario,
        firstDifference: diff,
        sampled: true,
      });
    }
  };
  let currentSeed = seed;

  for (let round = 0; used < runs; round++) {
    const roundSeed = seed + round;
    currentSeed = roundSeed;
    let failedAt: { runs: number; ms: number } | undefined;
    let lastFailing: FailingRun | undefined;
    let shrinkRuns = 0;
    let index = 0;
    const property = fc.asyncProperty(scenarioArb(profile), async (scenario) => {
      if (failedAt !== undefined && ++shrinkRuns > maxShrinkRuns) return true;
      const generated = failedAt === undefined;
      options.onRunStart?.(roundSeed, generated ? index : -1);
      const run = await runScenario(design, scenario, runOptions);
      const verdicts = checkTrace(run, ctx);
      // After the first failure fast-check only shrinks: those runs are not coverage.
      if (generated) {
        tally.add(verdicts);
        pathTally.add(run);
        used++;
        if (determinismEvery > 0 && used % determinismEvery === 1 % determinismEvery) {
          await sampleDeterminism(run, scenario, index);
        }
        index++;
        options.onProgress?.(used);
        await options.afterRun?.();
      }
      const fresh = verdicts.some(
        (v) => v.status === 'violated' && !found.has(v.id) && !nondeterministic.has(v.id),
      );
      if (!fresh) return true;
      failedAt ??= { runs: used, ms: performance.now() - started };
      lastFailing = { run, verdicts };
      return false;
    });
    const details = await fc.check(property, { numRuns: runs - used, seed: roundSeed });
    if (
      !details.failed ||
      details.counterexample === null ||
      lastFailing === undefined ||
      failedAt === undefined
    ) {
      break;
    }
    const [scenario] = details.counterexample;
    const path = details.counterexamplePath ?? '';
    const again = await runScenario(design, scenario, config === undefined ? {} : { config });
    const diff = firstDifference(serializeTrace(lastFailing.run.trace), serializeTrace(again.trace));
    const fresh = lastFailing.verdicts.filter(
      (v) => v.status === 'violated' && !found.has(v.id) && !nondeterministic.has(v.id),
    );
    if (diff >= 0) {
      determinismFailures.push({ profile, seed: roundSeed, path, scenario, firstDifference: diff });
      for (const v of fresh) nondeterministic.add(v.id);
      continue;
    }
    for (const v of fresh) {
      found.set(v.id, {
        property: v.id,
        message: v.message,
        profile,
        seed: roundSeed,
        path,
        scenario,
        offending: v.steps,
        timeline: cutTimeline(again.trace, v.steps),
        runsToFirstFailure: failedAt.runs,
        msToFirstFailure: Math.round(failedAt.ms),
        shrinks: details.numShrinks,
      });
    }
  }

  const properties = tally.summary().map((s): PropertyResult => {
    const counterexample = found.get(s.id);
    const base = { id: s.id, runs: s.runs, exercised: s.exercised };
    if (counterexample !== undefined) return { ...base, status: 'violated', counterexample };
    return { ...base, status: s.status };
  });
  const paths = pathTally.summary();
  return {
    name: design.name,
    profile,
    seed,
    runs: used,
    properties,
    determinismFailures,
    elapsedMs: Math.round(performance.now() - started),
    ...(paths === null ? {} : { paths }),
  };
}
