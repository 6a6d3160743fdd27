/**
 * Runs exploration jobs on a pool of worker threads, each job in a fresh worker (a design
 * that leaks or hangs takes only its own job down). Outcomes come back in job order, so
 * the report does not depend on how many workers ran them or in which order they ended.
 *
 * Why not piscina or tinypool: both pool long-lived workers and hand them many tasks, while
 * isolation here needs a fresh worker per job (a leaking design must not slow the next one,
 * a hung one is ended by terminating its thread), its own heap cap, and a watchdog reading
 * shared progress cells to name the run that hung. What is left of a pool is the lane loop
 * below; a library would add a dependency and still need the watchdog.
 */
import { startJob, type RunningJob } from './isolatedJob.ts';
import type { ExploreJob, JobOutcome, RunLimits } from './protocol.ts';

/** Options of a pool run. */
export interface PoolOptions {
  readonly workers: number;
  readonly limits: RunLimits;
  /** Wall-clock ms for every job together; past it running jobs are ended, none is started. */
  readonly timeLimitMs?: number;
  /** Aborting ends running jobs and starts no new one (SIGINT). */
  readonly signal?: AbortSignal;
  /** Called as each job ends, in completion order (progress). */
  readonly onOutcome?: (index: number, outcome: JobOutcome) => void;
}

/** Outcomes in job order; `stopped` says why jobs were left unfinished, if any were. */
export interface PoolResult {
  readonly outcomes: readonly (JobOutcome | undefined)[];
  readonly stopped: 'time limit' | 'interrupted' | null;
}

/**
 * Runs `jobs` with at most `workers` at once. Reads the wall clock (time limit only).
 *
 * @example
 * const { outcomes } = await runJobs(jobs, { workers: 2, limits: defaultLimits });
 */
export async function runJobs(jobs: readonly ExploreJob[], options: PoolOptions): Promise<PoolResult> {
  const outcomes: (JobOutcome | undefined)[] = jobs.map(() => undefined);
  const running = new Map<number, RunningJob>();
  let next = 0;
  let stopped: PoolResult['stopped'] = null;
  const stopAll = (why: NonNullable<PoolResult['stopped']>): void => {
    if (stopped !== null) return;
    stopped = why;
    for (const r of running.values()) r.stop(why);
  };
  const timer =
    options.timeLimitMs === undefined
      ? undefined
      : setTimeout(() => stopAll('time limit'), options.timeLimitMs);
  const onAbort = (): void => stopAll('interrupted');
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted === true) onAbort();

  const lane = async (): Promise<void> => {
    while (stopped === null && next < jobs.length) {
      const index = next++;
      const job = startJob(jobs[index] as ExploreJob, options.limits);
      running.set(index, job);
      const outcome = await job.outcome;
      running.delete(index);
      // A job ended by the pool is unfinished, not a result.
      if (stopped !== null && outcome.kind === 'error' && outcome.message === stopped) break;
      outcomes[index] = outcome;
      options.onOutcome?.(index, outcome);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.workers, jobs.length)) }, lane));
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
  return { outcomes, stopped };
}
