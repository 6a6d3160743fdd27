/**
 * A check's plan (which design under which profiles, how many runs) as a list of jobs, and
 * the jobs' outcomes judged back into the report's design rows. Used by `check` and by
 * `merge`, so a merge of shard outcomes judges exactly as one run would.
 */
import type { DesignReport } from '../explore.ts';
import type { Expectation } from '../expectations.ts';
import { judgeDesign, type DesignResult, type DesignRole } from '../judgeDesign.ts';
import type { ExploreProfile } from '../scenarioArb.ts';
import type { ExploreJob, JobOutcome, Runaway } from './protocol.ts';

/** One design of the plan. */
export interface PlannedDesign {
  readonly name: string;
  /** `--design` as given (bundled name or module path). */
  readonly ref: string;
  readonly role: DesignRole;
  readonly expectation?: Expectation;
  readonly profiles: readonly ExploreProfile[];
  readonly runs: number;
}

/** What judging needs besides the plan. */
export interface PlanSettings {
  readonly seed: number;
  readonly cwd: string;
  /** The reference is judged on coverage only with at least this many runs in all. */
  readonly coverageMinRuns: number;
}

/** The jobs of a plan, design by design, profile by profile: job i is the same in every shard. Pure. */
export function planJobs(plan: readonly PlannedDesign[], settings: PlanSettings): ExploreJob[] {
  return plan.flatMap((p) =>
    p.profiles.map((profile) => ({
      design: p.ref,
      cwd: settings.cwd,
      profile,
      runs: p.runs,
      seed: settings.seed,
    })),
  );
}

/**
 * The job indexes shard `index` of `count` (1-based) runs: every count-th job. Pure.
 *
 * @example shardJobs(5, 2, 2) // [1, 3]
 */
export function shardJobs(jobs: number, index: number, count: number): number[] {
  return Array.from({ length: jobs }, (_, i) => i).filter((i) => i % count === index - 1);
}

/**
 * Judges the outcomes (by job index; undefined: not run) into design rows and the list of
 * runaways. A design none of whose jobs ran is left out. Pure.
 */
export function judgePlan(
  plan: readonly PlannedDesign[],
  outcomes: readonly (JobOutcome | undefined)[],
  settings: PlanSettings,
): { readonly results: DesignResult[]; readonly runaways: Runaway[]; readonly errors: string[] } {
  const results: DesignResult[] = [];
  const runaways: Runaway[] = [];
  const errors: string[] = [];
  let job = 0;
  for (const p of plan) {
    const reports: DesignReport[] = [];
    for (const profile of p.profiles) {
      const o = outcomes[job++];
      if (o?.kind === 'report') reports.push(o.report);
      else if (o?.kind === 'runaway') runaways.push(o.runaway);
      else if (o?.kind === 'error') errors.push(`${p.ref} under ${profile}: ${o.message}`);
    }
    if (reports.length === 0) continue;
    const totalRuns = reports.reduce((n, r) => n + r.runs, 0);
    results.push(
      judgeDesign({
        name: p.name,
        ref: p.ref,
        role: p.role,
        reports,
        ...(p.expectation === undefined ? {} : { expectation: p.expectation }),
        coverageRequired: totalRuns >= settings.coverageMinRuns,
      }),
    );
  }
  return { results, runaways, errors };
}
