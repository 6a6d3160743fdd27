/**
 * Explores a plan of designs, each under its profiles, and judges every one: the work of
 * `ws-lifecycle check` and of `checkDesign`, without files or output.
 */
import type { LifecycleConfig } from '../core/types.ts';
import type { Design } from '../sim/types.ts';
import type { Expectation } from './expectations.ts';
import { explore, type DesignReport } from './explore.ts';
import { judgeDesign, type DesignResult, type DesignRole } from './judgeDesign.ts';
import type { ExploreProfile } from './scenarioArb.ts';

/** The reference is judged on coverage only with at least this many runs in all. */
export const coverageMinRuns = 1000;

/** One design to check and how. */
export interface PlannedDesign {
  readonly design: Design;
  /** What `--design` takes to reach the design again (printed in replay commands). */
  readonly ref: string;
  readonly role: DesignRole;
  readonly expectation?: Expectation;
  readonly profiles: readonly ExploreProfile[];
  /** Generated runs per profile. */
  readonly runs: number;
}

/** Options of `runChecks`. */
export interface RunChecksOptions {
  readonly seed: number;
  readonly config?: LifecycleConfig;
  /** Called after every generated run: the design, runs done and runs planned for it. */
  readonly onProgress?: (planned: PlannedDesign, done: number, total: number) => void;
  /** Called once a design is judged. */
  readonly onDesignDone?: (planned: PlannedDesign) => void;
}

/**
 * Explores and judges each planned design, in order. Not pure (runs simulations); the same
 * plan and seed give the same results, wall-clock fields aside.
 *
 * @example
 * const [r] = await runChecks([{ design, ref: 'x', role: 'user', profiles: ['lan'], runs: 100 }], { seed: 1 });
 */
export async function runChecks(
  plan: readonly PlannedDesign[],
  options: RunChecksOptions,
): Promise<DesignResult[]> {
  const results: DesignResult[] = [];
  for (const p of plan) {
    const total = p.runs * p.profiles.length;
    const reports: DesignReport[] = [];
    for (const profile of p.profiles) {
      const offset = reports.reduce((n, r) => n + r.runs, 0);
      reports.push(
        await explore(p.design, {
          runs: p.runs,
          seed: options.seed,
          profile,
          ...(options.config === undefined ? {} : { config: options.config }),
          onProgress: (n) => options.onProgress?.(p, offset + n, total),
        }),
      );
    }
    options.onDesignDone?.(p);
    const totalRuns = reports.reduce((n, r) => n + r.runs, 0);
    results.push(
      judgeDesign({
        name: p.design.name,
        ref: p.ref,
        role: p.role,
        reports,
        ...(p.expectation === undefined ? {} : { expectation: p.expectation }),
        coverageRequired: totalRuns >= coverageMinRuns,
      }),
    );
  }
  return results;
}
