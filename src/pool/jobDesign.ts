/**
 * What one exploration job explores and how, from the job's data and the loaded design
 * module: the same in a worker (exploreWorker.ts) and in-process (runChecks.ts), so a job's
 * reports do not depend on where it ran.
 */
import { withPython } from '../sim/python.ts';
import type { Design } from '../sim/types.ts';
import type { ExploreOptions } from '../explore/explore.ts';
import type { SeedPort } from '../design/readings.ts';
import type { ExploreJob } from './protocol.ts';

/** One exploration of a job: a design and explore's options, before any progress hooks. */
export interface JobExploration {
  readonly design: Design;
  readonly options: ExploreOptions;
}

/**
 * A job's explorations, in report order: the module's design with the job's runs, then the
 * port's design for each of the job's readings with `otherRuns` runs, unshrunk; each on the
 * job's Python version. Pure.
 *
 * @throws Error when the job names readings and the module has no `port`.
 * @example
 * jobExplorations({ design }, { design: 'reference', cwd: '.', profile: 'lan', runs: 10, seed: 1 }).length; // 1
 */
export function jobExplorations(
  loaded: { readonly design: Design; readonly port?: SeedPort },
  job: ExploreJob,
): JobExploration[] {
  const base: ExploreOptions = {
    runs: job.runs,
    seed: job.seed,
    profile: job.profile,
    ...(job.config === undefined ? {} : { config: job.config }),
  };
  const onPython = (d: Design): Design => (job.python === undefined ? d : withPython(d, job.python));
  const readings = job.readings ?? [];
  const { port } = loaded;
  if (readings.length > 0 && port === undefined)
    throw new Error(`${job.design} has no readings (no "port" export)`);
  return [
    { design: onPython(loaded.design), options: base },
    ...readings.map((reading) => ({
      design: onPython((port as SeedPort).design(reading)),
      options: { ...base, runs: job.otherRuns ?? job.runs, maxShrinkRuns: 0 },
    })),
  ];
}

/** Generated runs a job explores in all (for progress). Pure. */
export function jobRuns(job: ExploreJob): number {
  return job.runs + (job.otherRuns ?? job.runs) * (job.readings?.length ?? 0);
}
