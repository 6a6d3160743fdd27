/**
 * The programmatic check: `checkDesign` returns the report `ws-lifecycle check --json`
 * prints; `assertDesign` throws, in any test runner, when the design breaks a property.
 */
import type { LifecycleConfig } from '../core/types.ts';
import { loadDesign } from '../design/loadDesign.ts';
import type { Design } from '../sim/types.ts';
import { toCheckReport, type CheckReport } from '../report/checkReport.ts';
import type { DesignResult } from '../judge/judgeDesign.ts';
import { renderReport } from '../report/report.ts';
import { runChecks } from '../judge/runChecks.ts';
import type { ExploreProfile } from '../explore/scenarioArb.ts';

/** Options of `checkDesign` and `assertDesign`; every one has a default. */
export interface CheckDesignOptions {
  /** Generated runs per profile (default 1000; a Python design 250). */
  readonly runs?: number;
  /** The fast-check seed (default 1): the same seed gives the same report. */
  readonly seed?: number;
  /** Fault profiles to explore (default ideal, lan, cloud-run, hostile). */
  readonly profiles?: readonly ExploreProfile[];
  /**
   * How the `ws-lifecycle` command reaches the design, for the replay commands in the
   * report: the path of its module, e.g. `./src/my-design.ts` (default: the design's name,
   * which `--design` resolves only for bundled designs).
   */
  readonly ref?: string;
  /** The lifecycle configuration the simulation runs with (default: the core's). */
  readonly config?: LifecycleConfig;
}

/** Default runs per profile of `checkDesign`, as `ws-lifecycle check` uses for a user's design. */
export const defaultCheckRuns = 1000;

/**
 * Generated runs per profile for a Python design: each run is the real app on the Python
 * runner, tens of times slower than a simulated run, so 250 per profile (1,000 on the four
 * default profiles) keeps a check of one app near a minute on 2 cores.
 */
export const defaultPythonCheckRuns = 250;

/** Default profiles of `checkDesign`, as `ws-lifecycle check` uses for a user's design. */
export const defaultCheckProfiles: readonly ExploreProfile[] = ['ideal', 'lan', 'cloud-run', 'hostile'];

/** `design`, or the design module or Python design at that path (from the working directory). */
async function designOf(design: Design | string): Promise<Design> {
  return typeof design === 'string' ? (await loadDesign(design, process.cwd())).design : design;
}

async function judge(
  given: Design | string,
  options: CheckDesignOptions,
): Promise<{ result: DesignResult; seed: number; design: Design }> {
  const design = await designOf(given);
  const seed = options.seed ?? 1;
  const [result] = await runChecks(
    [
      {
        design,
        ref: options.ref ?? (typeof given === 'string' ? given : design.name),
        role: 'user',
        profiles: options.profiles ?? defaultCheckProfiles,
        runs: options.runs ?? (design.kind === 'python' ? defaultPythonCheckRuns : defaultCheckRuns),
      },
    ],
    { seed, ...(options.config === undefined ? {} : { config: options.config }) },
  );
  if (result === undefined) throw new Error('runChecks returned no result for one planned design');
  return { result, seed, design };
}

/**
 * Checks one design against every property, as `ws-lifecycle check --design` does, and
 * returns the same typed report as `--json`. Not pure (runs simulations); deterministic
 * for a seed.
 *
 * @example
 * const report = await checkDesign(design, { runs: 200, profiles: ['lan'] });
 * await checkDesign('./app_design.py', { runs: 100 }); // a Python design, by path
 * report.summary.verdict; // 'pass' | 'fail'
 */
export async function checkDesign(
  design: Design | string,
  options: CheckDesignOptions = {},
): Promise<CheckReport> {
  const { result, seed } = await judge(design, options);
  return toCheckReport([result], { seed, timing: false });
}

/**
 * A design that does not hold every property, thrown by `assertDesign`. The message is the
 * design's matrix row, then each violation's shrunk timeline and replay command.
 */
export class DesignCheckFailure extends Error {
  override readonly name = 'DesignCheckFailure';

  constructor(
    message: string,
    /** The full report, as `checkDesign` returns it. */
    readonly report: CheckReport,
  ) {
    super(message);
  }
}

/**
 * Checks a design and throws `DesignCheckFailure` unless it holds every property (its
 * message shows the matrix row, the shrunk timelines and the replay commands), like
 * fast-check's `fc.assert`. Works in any test runner: it only throws.
 *
 * @returns the report when the design passes.
 * @example
 * it('my design holds every property', () => assertDesign(design, { runs: 200, ref: './my-design.ts' }));
 */
export async function assertDesign(
  given: Design | string,
  options: CheckDesignOptions = {},
): Promise<CheckReport> {
  const { result, seed, design } = await judge(given, options);
  const report = toCheckReport([result], { seed, timing: false });
  if (result.matches) return report;
  const text = renderReport([result], { seed, timing: false });
  throw new DesignCheckFailure(
    `${design.name} does not hold every property (seed ${seed})\n\n${text}`,
    report,
  );
}
