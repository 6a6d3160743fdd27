/**
 * Explores a plan of designs, each under its profiles, and judges every one: the work of
 * `ws-lifecycle check` and of `checkDesign`, without files or output.
 */
import type { LifecycleConfig } from '../core/types.ts';
import type { Design } from '../sim/types.ts';
import type { Expectation } from './expectations.ts';
import { explore, type DesignReport } from './explore.ts';
import { judgeDesign, type DesignResult, type DesignRole } from './judgeDesign.ts';
import { judgeReadings, type ReadingsResult } from './judgeReadings.ts';
import { readingsToRun, type Reading, type SeedPort } from './readings.ts';
import type { ExploreProfile } from './scenarioArb.ts';

/** The reference is judged on coverage only with at least this many runs in all. */
export const coverageMinRuns = 1000;

/**
 * Runs per profile of a seed port's non-default readings, all together, as a multiple of the
 * default reading's: up to seven other readings (every bundled port) each run as many as the
 * default, since a race found at run 300 of one reading must not pass for reading-dependent.
 * Unshrunk, this keeps `npm run check` within its 90 s budget on 2 cores.
 */
export const otherReadingsBudget = 7;

/** Runs per profile of each non-default reading, given the default's and the readings' count. Pure. */
export function otherReadingRuns(runs: number, readings: number): number {
  if (readings <= 1) return runs;
  return Math.ceil(runs * Math.min(1, otherReadingsBudget / (readings - 1)));
}

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
  /** A seed port's readings: explored each, the default reading first (src/check/readings.ts). */
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
    // A seed port is explored under each of its readings, the bundled default first.
    const readings: readonly (Reading | null)[] =
      p.port === undefined ? [null] : readingsToRun(p.port.readings);
    const otherRuns = otherReadingRuns(p.runs, readings.length);
    const total = (p.runs + otherRuns * (readings.length - 1)) * p.profiles.length;
    const perReading: { reading: Reading; reports: DesignReport[] }[] = [];
    let offset = 0;
    for (const [k, reading] of readings.entries()) {
      const design = reading === null || p.port === undefined ? p.design : p.port.design(reading);
      const reports: DesignReport[] = [];
      for (const profile of p.profiles) {
        const start = offset;
        // The default reading's counterexamples are printed and saved; the other readings
        // only say whether a property is violated, so they are not shrunk.
        const report = await explore(design, {
          runs: k === 0 ? p.runs : otherRuns,
          seed: options.seed,
          profile,
          ...(k === 0 ? {} : { maxShrinkRuns: 0 }),
          ...(options.config === undefined ? {} : { config: options.config }),
          onProgress: (n) => options.onProgress?.(p, start + n, total),
        });
        reports.push(report);
        offset += report.runs;
      }
      perReading.push({ reading: reading ?? {}, reports });
    }
    options.onDesignDone?.(p);
    const totalRuns = perReading[0]?.reports.reduce((n, r) => n + r.runs, 0) ?? 0;
    const judged = {
      name: p.design.name,
      ref: p.ref,
      role: p.role,
      ...(p.expectation === undefined ? {} : { expectation: p.expectation }),
      coverageRequired: totalRuns >= coverageMinRuns,
    };
    if (p.port === undefined) {
      results.push(judgeDesign({ ...judged, reports: perReading[0]?.reports ?? [] }));
      continue;
    }
    const { row, readings: across } = judgeReadings({ ...judged, space: p.port.readings, perReading });
    results.push(row);
    options.onReadings?.(across);
  }
  return results;
}
