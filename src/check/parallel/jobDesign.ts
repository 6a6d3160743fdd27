/**
 * What one exploration job explores and how, from the job's data and the loaded design
 * module: the same in a worker (exploreWorker.ts) and in-process (runChecks.ts), so a job's
 * report does not depend on where it ran.
 */
import { withPython } from '../../sim/python.ts';
import type { Design } from '../../sim/types.ts';
import type { ExploreOptions } from '../explore.ts';
import type { SeedPort } from '../readings.ts';
import type { ExploreJob } from './protocol.ts';

/**
 * The design a job explores: the module's design, or its port's design for the job's reading,
 * on the job's Python version. Pure.
 *
 * @throws Error when the job names a reading and the module has no `port`.
 * @example
 * jobDesign({ design }, { design: 'reference', cwd: '.', profile: 'lan', runs: 10, seed: 1 }) === design;
 */
export function jobDesign(
  loaded: { readonly design: Design; readonly port?: SeedPort },
  job: ExploreJob,
): Design {
  let design = loaded.design;
  if (job.reading !== undefined) {
    if (loaded.port === undefined) throw new Error(`${job.design} has no readings (no "port" export)`);
    design = loaded.port.design(job.reading);
  }
  return job.python === undefined ? design : withPython(design, job.python);
}

/** explore's options for a job, before any progress hooks. Pure. */
export function jobOptions(job: ExploreJob): ExploreOptions {
  return {
    runs: job.runs,
    seed: job.seed,
    profile: job.profile,
    ...(job.config === undefined ? {} : { config: job.config }),
    ...(job.maxShrinkRuns === undefined ? {} : { maxShrinkRuns: job.maxShrinkRuns }),
  };
}
