/**
 * Runs exploration jobs on a pool of worker threads, each job on fresh workers of its own (a
 * design that leaks or hangs takes only its own job down); a job with several workers splits
 * its explorations' runs over them (isolatedJob.ts). Outcomes come back in job order, so the
 * report does not depend on how many workers ran them or in which order they ended.
 *
 * Why not piscina or tinypool: both pool long-lived workers and hand them many tasks, while
 * isolation here needs fresh workers per job (a leaking design must not slow the next one,
 * a hung one is ended by terminating its thread), its own heap cap, and a watchdog reading
 * shared progress cells to name the run that hung. What is left of a pool is the lane loop
 * below; a library would add a dependency and still need the watchdog.
 */
import { startJob, type RunningJob } from './isolatedJob.ts';
import { jobRuns } from './jobDesign.ts';
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
  /** Called as a running job's runs that count add up: its generated runs so far. */
  readonly onProgress?: (index: number, runsDone: number) => void;
  /**
   * A job gets another worker only if each of its workers still has this many runs (default
   * `splitMinRuns`): a worker's start and warm-up cost more than a short share of runs saves.
   */
  readonly splitMinRuns?: number;
}

/**
 * Default least runs per worker of a split exploration. Measured on 2 cores
 * (bench/workers.bench.ts): a worker spends about 1.4 s of CPU warming up (V8 optimising
 * the simulation) before runs reach full speed, so a reference lan exploration of 3,000 runs
 * is no faster on 2 workers and one of 12,000 is 1.2x faster.
 */
export const splitMinRuns = 2500;

/** Outcomes in job order; `stopped` says why jobs were left unfinished, if any were. */
export interface PoolResult {
  readonly outcomes: readonly (JobOutcome | undefined)[];
  readonly stopped: 'time limit' | 'interrupted' | null;
}

/** A running job, the workers it has and the most it is worth. */
interface Running {
  readonly job: RunningJob;
  workers: number;
  readonly most: number;
}

/** Of the running jobs worth more workers than they have, the first with the fewest. Pure. */
function fewestWanting(running: Iterable<Running>): Running | undefined {
  const wanting = [...running].filter((r) => r.workers < r.most);
  if (wanting.length === 0) return undefined;
  return wanting.reduce((a, b) => (b.workers < a.workers ? b : a));
}

/**
 * Calls `stopAll` at the pool's time limit or when its signal aborts (at once if it already
 * has). Reads the wall clock. Returns what clears the timer and the listener.
 */
function stopOnLimitOrAbort(
  options: PoolOptions,
  stopAll: (why: NonNullable<PoolResult['stopped']>) => void,
): () => void {
  const timer =
    options.timeLimitMs === undefined
      ? undefined
      : setTimeout(() => stopAll('time limit'), options.timeLimitMs);
  const onAbort = (): void => stopAll('interrupted');
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted === true) onAbort();
  return () => {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  };
}

/**
 * Runs `jobs` on at most `workers` worker threads at once. Jobs start in order, each with an
 * even share of the free workers (one each while more jobs wait than workers are free); once
 * no job is left to start, a worker a finished job frees goes to the running job with the
 * fewest, so one long exploration ends up on every worker; a job gets at most one worker
 * per `splitMinRuns` of its runs. Reads the wall clock (time limit only).
 *
 * @example
 * const { outcomes } = await runJobs(jobs, { workers: 2, limits: defaultLimits });
 */
export async function runJobs(jobs: readonly ExploreJob[], options: PoolOptions): Promise<PoolResult> {
  const outcomes: (JobOutcome | undefined)[] = jobs.map(() => undefined);
  const running = new Map<number, Running>();
  const minRuns = Math.max(1, options.splitMinRuns ?? splitMinRuns);
  // The most workers a job is worth: one per `minRuns` of its runs.
  const mostFor = (index: number): number =>
    Math.max(1, Math.floor(jobRuns(jobs[index] as ExploreJob) / minRuns));
  let free = Math.max(1, options.workers);
  let next = 0;
  let stopped: PoolResult['stopped'] = null;
  let allDone: () => void = () => {};
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const stopAll = (why: NonNullable<PoolResult['stopped']>): void => {
    if (stopped !== null) return;
    stopped = why;
    for (const r of running.values()) r.job.stop(why);
  };

  const start = (index: number, workers: number): void => {
    free -= workers;
    const job = startJob(jobs[index] as ExploreJob, options.limits, {
      workers,
      onProgress: (n) => options.onProgress?.(index, n),
    });
    const entry: Running = { job, workers, most: mostFor(index) };
    running.set(index, entry);
    void job.outcome.then((outcome) => {
      running.delete(index);
      free += entry.workers;
      // A job ended by the pool is unfinished, not a result.
      if (!(stopped !== null && outcome.kind === 'error' && outcome.message === stopped)) {
        outcomes[index] = outcome;
        options.onOutcome?.(index, outcome);
      }
      schedule();
    });
  };

  const schedule = (): void => {
    while (stopped === null && next < jobs.length && free > 0) {
      start(next, Math.min(mostFor(next), Math.max(1, Math.floor(free / (jobs.length - next)))));
      next++;
    }
    for (;;) {
      if (stopped !== null || next < jobs.length || free === 0) break;
      const fewest = fewestWanting(running.values());
      if (fewest === undefined) break;
      fewest.job.addWorker();
      fewest.workers++;
      free--;
    }
    if (running.size === 0) allDone();
  };

  const removeStops = stopOnLimitOrAbort(options, stopAll);
  try {
    schedule();
    await done;
  } finally {
    removeStops();
  }
  return { outcomes, stopped };
}
