/**
 * A check's plan (which design under which profiles and readings, how many runs) as a list
 * of jobs, and the jobs' outcomes judged back into the report's design rows and, for seed
 * ports, their verdicts across readings. Used by `check` (jobs run in workers), by
 * `runChecks` (jobs run in-process) and by `merge`, so every one judges exactly alike.
 * Everything here is data (a design by its `--design` ref, a reading as a record), so a plan
 * crosses to a worker and into a shard file unchanged.
 */
import type { LifecycleConfig } from '../core/types.ts';
import type { PythonVersion } from '../sim/types.ts';
import type { DesignReport } from '../explore/explore.ts';
import type { Expectation } from './expectations.ts';
import { judgeDesign, type DesignResult, type DesignRole } from './judgeDesign.ts';
import { judgeReadings, type ReadingsResult } from './judgeReadings.ts';
import { readingsToRun, type Reading, type ReadingSpace } from '../design/readings.ts';
import type { ExploreProfile } from '../explore/scenarioArb.ts';
import type { ExploreJob, JobOutcome, Runaway } from '../pool/protocol.ts';

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

/** One design of the plan. */
export interface PlanEntry {
  readonly name: string;
  /** `--design` as given (bundled name or module path). */
  readonly ref: string;
  readonly role: DesignRole;
  readonly expectation?: Expectation;
  readonly profiles: readonly ExploreProfile[];
  /** Generated runs per profile (of the default reading, for a seed port). */
  readonly runs: number;
  /** A seed port's reading space: explored under each reading, the default first. */
  readonly space?: ReadingSpace;
}

/** What planning and judging need besides the plan. */
export interface PlanSettings {
  readonly seed: number;
  readonly cwd: string;
  /** The reference is judged on coverage only with at least this many runs in all. */
  readonly coverageMinRuns: number;
  readonly config?: LifecycleConfig;
  /** The Python version handler designs run on (src/sim/python.ts); absent: the default. */
  readonly python?: PythonVersion;
}

/** The readings an entry is explored under (`[null]`: the design as loaded). Pure. */
export function readingsOf(p: PlanEntry): readonly (Reading | null)[] {
  return p.space === undefined ? [null] : readingsToRun(p.space);
}

/**
 * The jobs of a plan, design by design, profile by profile: job i is the same in every shard
 * and for any number of workers. A seed port's job explores the bundled design (its default
 * reading) and then each other reading, in the same worker; the default reading's
 * counterexamples are printed and saved, the other readings only say whether a property is
 * violated, so they are not shrunk. Pure.
 */
export function planJobs(plan: readonly PlanEntry[], settings: PlanSettings): ExploreJob[] {
  return plan.flatMap((p) => {
    const readings = readingsOf(p);
    // The default reading is the module's own design (the bundled one).
    const others = readings.slice(1).filter((r): r is Reading => r !== null);
    return p.profiles.map((profile): ExploreJob => ({
      design: p.ref,
      cwd: settings.cwd,
      profile,
      runs: p.runs,
      seed: settings.seed,
      ...(others.length === 0
        ? {}
        : { readings: others, otherRuns: otherReadingRuns(p.runs, readings.length) }),
      ...(settings.config === undefined ? {} : { config: settings.config }),
      ...(settings.python === undefined ? {} : { python: settings.python }),
    }));
  });
}

/**
 * The job indexes shard `index` of `count` (1-based) runs: every count-th job. Pure.
 *
 * @example shardJobs(5, 2, 2) // [1, 3]
 */
export function shardJobs(jobs: number, index: number, count: number): number[] {
  return Array.from({ length: jobs }, (_, i) => i).filter((i) => i % count === index - 1);
}

/** What judging a plan's outcomes gives. */
export interface JudgedPlan {
  /** One row per design with at least one reporting job, in plan order. */
  readonly results: DesignResult[];
  /** The verdict across readings of each seed port among `results`. */
  readonly readings: ReadingsResult[];
  readonly runaways: Runaway[];
  readonly errors: string[];
}

/**
 * Judges the outcomes (by job index; undefined: not run) into design rows, readings verdicts
 * and the list of runaways. A design none of whose jobs reported is left out. Pure.
 */
export function judgePlan(
  plan: readonly PlanEntry[],
  outcomes: readonly (JobOutcome | undefined)[],
  settings: Pick<PlanSettings, 'coverageMinRuns'>,
): JudgedPlan {
  const judged: JudgedPlan = { results: [], readings: [], runaways: [], errors: [] };
  let job = 0;
  for (const p of plan) {
    // perReading[k]: reading k's report under each profile whose job reported.
    const perReading = readingsOf(p).map((reading) => ({
      reading: reading ?? {},
      reports: [] as DesignReport[],
    }));
    for (const profile of p.profiles) {
      const o = outcomes[job++];
      if (o?.kind === 'report') o.reports.forEach((r, k) => perReading[k]?.reports.push(r));
      else if (o?.kind === 'runaway') judged.runaways.push(o.runaway);
      else if (o?.kind === 'error') judged.errors.push(`${p.ref} under ${profile}: ${o.message}`);
    }
    const first = perReading[0];
    if (first === undefined || first.reports.length === 0) continue;
    const totalRuns = first.reports.reduce((n, r) => n + r.runs, 0);
    const common = {
      name: p.name,
      ref: p.ref,
      role: p.role,
      ...(p.expectation === undefined ? {} : { expectation: p.expectation }),
      coverageRequired: totalRuns >= settings.coverageMinRuns,
    };
    if (p.space === undefined) {
      judged.results.push(judgeDesign({ ...common, reports: first.reports }));
      continue;
    }
    const { row, readings } = judgeReadings({ ...common, space: p.space, perReading });
    judged.results.push(row);
    judged.readings.push(readings);
  }
  return judged;
}
