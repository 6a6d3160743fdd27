/**
 * Exact reproduction of one explored run, from fast-check's `{ seed, path }` or from a saved
 * scenario.
 */
import fc from 'fast-check';
import type { LifecycleConfig } from '../core/types.ts';
import { withPython } from '../sim/python.ts';
import { judgeRun, runDesign } from './runDesign.ts';
import type { Design, Scenario } from '../sim/types.ts';
import type { RunResult } from '../trace/types.ts';
import type { CorpusEntry } from './corpus.ts';
import { ReplayPathError } from '../design/errors.ts';
import { contextOf } from './explore.ts';
import type { PropertyVerdict } from '../properties/propertyTypes.ts';
import { scenarioArb, type ExploreProfile } from './scenarioArb.ts';

/** One reproduced run: the scenario, its trace and the checkers' verdicts. */
export interface Replayed {
  readonly scenario: Scenario;
  readonly run: RunResult;
  readonly verdicts: readonly PropertyVerdict[];
}

/**
 * The scenario fast-check generates at `{ seed, path }` for `profile`. Pure (a function of
 * its arguments). It walks the same shrink tree as `explore`, whose property has the same
 * shape (one async arbitrary), so the path means the same value.
 *
 * @throws ReplayPathError when the path leads nowhere at that seed and profile.
 * @example
 * scenarioAt({ seed: 3, path: '41:2:0', profile: 'lan' }).commands.length;
 */
export async function scenarioAt(where: {
  readonly seed: number;
  readonly path: string;
  readonly profile: ExploreProfile;
}): Promise<Scenario> {
  let captured: Scenario | undefined;
  const capture = fc.asyncProperty(scenarioArb(where.profile), async (scenario) => {
    captured = scenario;
    return false;
  });
  const notThere = (): ReplayPathError =>
    new ReplayPathError(
      `--path ${where.path} does not exist at --seed ${where.seed} --profile ${where.profile}; copy seed, path and profile together from one reproduce line`,
    );
  try {
    await fc.check(capture, { seed: where.seed, path: where.path, endOnFailure: true, numRuns: 1 });
  } catch (e) {
    // fast-check: "Unable to replay, got wrong path=..." for a shrink index out of range.
    if (e instanceof Error && /Unable to replay/.test(e.message)) throw notThere();
    throw e;
  }
  if (captured === undefined) throw notThere();
  return captured;
}

/**
 * Runs a saved scenario once and checks it. Not pure (runs the simulation); the same
 * arguments give a byte-identical trace.
 *
 * @example
 * const { verdicts } = await replayScenario(reference, saved.scenario, 'lan');
 */
export async function replayScenario(
  design: Design,
  scenario: Scenario,
  profile: ExploreProfile,
  config?: LifecycleConfig,
): Promise<Replayed> {
  const run = await runDesign(design, scenario, config);
  return { scenario, run, verdicts: judgeRun(design, run, contextOf(design, profile)) };
}

/**
 * Replays a saved counterexample (src/explore/corpus.ts) the way it was found: its scenario,
 * its profile, on its Python version. Not pure.
 *
 * @example
 * const { verdicts } = await replayCorpusEntry(design, entry);
 */
export function replayCorpusEntry(design: Design, entry: CorpusEntry): Promise<Replayed> {
  const found = entry.python === undefined ? design : withPython(design, entry.python);
  return replayScenario(found, entry.scenario, entry.profile);
}

/**
 * Reproduces the run fast-check made at `{ seed, path }` under `profile`, exactly. Not pure.
 *
 * @example
 * const r = await replay(design, { seed: 1, path: '12:0:3', profile: 'lan' });
 * r.verdicts.find((v) => v.id === 'P8')?.status; // 'violated'
 */
export async function replay(
  design: Design,
  where: {
    readonly seed: number;
    readonly path: string;
    readonly profile: ExploreProfile;
    readonly config?: LifecycleConfig;
  },
): Promise<Replayed> {
  return replayScenario(design, await scenarioAt(where), where.profile, where.config);
}
