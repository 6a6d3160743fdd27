/**
 * Explores a plan of designs, each under its profiles (and a seed port under each of its
 * readings), in this thread, and judges every one: the work of `checkDesign` and of tests,
 * without files, output or workers. `ws-lifecycle check` runs the same jobs
 * (parallel/judgePlan.ts) in worker threads and judges them the same way, so both give the
 * same results for the same plan and seed.
 */
import type { LifecycleConfig } from '../core/types.ts';
import type { Design } from '../sim/types.ts';
import type { Expectation } from './expectations.ts';
import { explore, type DesignReport } from '../explore/explore.ts';
import type { DesignResult, DesignRole } from './judgeDesign.ts';
import type { ReadingsResult } from './judgeReadings.ts';
import { jobExplorations, jobRuns } from '../pool/jobDesign.ts';
import { judgePlan, planJobs, type PlanEntry } from './judgePlan.ts';
import type { JobOutcome } from '../pool/protocol.ts';
import type { SeedPort } from '../design/readings.ts';
import type { ExploreProfile } from '../explore/scenarioArb.ts';

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
  /** A seed port's readings: explored each, the default reading first (src/design/readings.ts). */
  readonly port?: SeedPort;
}

/** Options of `runChecks`. */
export interface RunChecksOptions {
  readonly seed: number;
  readonly config?: LifecycleConfig;
  /** Called after every generated run: the design, runs done and runs planned for it. */
  readonly onProgress?: (planned: PlannedDesign, done: number, total: number) => void;
  /** Called once a design is judged. */
  readonly onDesignDone?: (planned: PlannedDesign) => void;
  /** Receives, for each design with readings, its verdict across them (robust or not). */
  readonly onReadings?: (result: ReadingsResult) => void;
}

/** A planned design as data (what a worker or a shard file carries). Pure. */
export function planEntry(p: PlannedDesign): PlanEntry {
  return {
    name: p.design.name,
    ref: p.ref,
    role: p.role,
    ...(p.expectation === undefined ? {} : { expectation: p.expectation }),
    profiles: p.profiles,
    runs: p.runs,
    ...(p.port === undefined ? {} : { space: p.port.readings }),
  };
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
  const settings = {
    seed: options.seed,
    cwd: '.',
    coverageMinRuns,
    ...(options.config === undefined ? {} : { config: options.config }),
  };
  const results: DesignResult[] = [];
  for (const p of plan) {
    const entry = planEntry(p);
    const jobs = planJobs([entry], settings);
    const total = jobs.reduce((n, j) => n + jobRuns(j), 0);
    const outcomes: JobOutcome[] = [];
    let offset = 0;
    for (const job of jobs) {
      const reports: DesignReport[] = [];
      for (const { design, options: exploreOptions } of jobExplorations(p, job)) {
        const start = offset;
        const report = await explore(design, {
          ...exploreOptions,
          onProgress: (n) => options.onProgress?.(p, start + n, total),
        });
        reports.push(report);
        offset += report.runs;
      }
      outcomes.push({ kind: 'report', reports });
    }
    options.onDesignDone?.(p);
    const judged = judgePlan([entry], outcomes, settings);
    results.push(...judged.results);
    for (const r of judged.readings) options.onReadings?.(r);
  }
  return results;
}
