/**
 * Runs a check's share of jobs on the worker pool (src/pool/jobPool.ts) with a
 * progress line, and turns SIGINT (Ctrl-C) and SIGTERM (what CI runners and `timeout` send)
 * into "stop, keep what finished".
 */
import { jobRuns } from '../pool/jobDesign.ts';
import { runJobs } from '../pool/jobPool.ts';
import type { ExploreJob, JobOutcome } from '../pool/protocol.ts';
import type { Io } from './io.ts';
import { UsageError } from './usageError.ts';
import type { IsolationFlags } from './isolationFlags.ts';
import { plainIntervalOf, Progress, type ProgressMode, resolveProgress } from './progress.ts';
import { exitCodes } from './exitCodes.ts';

/** The environment variable that sets the least runs per worker of a split exploration. */
export const splitMinRunsVar = 'WS_LIFECYCLE_SPLIT_MIN_RUNS';

/**
 * The least runs per worker of a split exploration from the environment (absent: the pool's
 * default). Pure.
 *
 * @throws UsageError when the variable is set to anything but a positive integer.
 */
export function splitMinRunsOf(env: Io['env']): number | undefined {
  const value = env?.[splitMinRunsVar];
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(
      `${splitMinRunsVar} must be a positive integer (runs per worker), got "${value}"; unset it for the default`,
    );
  }
  return Number(value);
}

/**
 * The signals that stop a check and keep what finished, with the exit code each gives (128 +
 * the signal's number, as a shell reports a process the signal ended).
 */
export const stopSignals = { SIGINT: exitCodes.SIGINT, SIGTERM: exitCodes.SIGTERM } as const;

/** A signal of `stopSignals`. */
export type StopSignal = keyof typeof stopSignals;

/** Why a pool run stopped early: its time limit, or the signal that interrupted it. */
export type PoolStop = 'time limit' | StopSignal | null;

/** What a pool run reports as it goes: job progress and outcomes, drawn on the progress line. */
interface PoolProgress {
  readonly progress: Progress;
  onProgress(k: number, runs: number): void;
  onOutcome(k: number, outcome: JobOutcome): void;
}

/**
 * The progress line of jobs `mine`: runs done over all of them, violated design x property
 * cells, the jobs running. Draws on stderr.
 */
function poolProgress(
  allJobs: readonly ExploreJob[],
  mine: readonly number[],
  io: Io,
  mode: ReturnType<typeof resolveProgress>,
): PoolProgress {
  const runsOf = (i: number | undefined): number => {
    const job = i === undefined ? undefined : allJobs[i];
    return job === undefined ? 0 : jobRuns(job);
  };
  const progress = new Progress(
    io.err,
    mine.reduce((n, i) => n + runsOf(i), 0),
    {
      mode,
      intervalMs: plainIntervalOf(io.env),
      // A terminal of unknown size (0 columns, e.g. under script(1)) counts as 80 wide.
      columns: process.stderr.columns > 0 ? process.stderr.columns : 80,
    },
  );
  // Runs done so far by each job (ended or running), by index into `mine`.
  const doneBy = new Map<number, number>();
  const running = new Set<number>();
  // Violated design x property cells of the finished jobs (the module's own design, as the
  // matrix counts them).
  const violated = new Set<string>();
  let runsDone = 0;
  const label = (k: number): string => {
    const job = allJobs[mine[k] ?? -1];
    return job === undefined
      ? '?'
      : `${job.design.replace(/^.*\//, '').replace(/\.[cm]?[jt]s$/, '')} ${job.profile}`;
  };
  const account = (k: number, n: number): void => {
    runsDone += n - (doneBy.get(k) ?? 0);
    doneBy.set(k, n);
    progress.update({
      done: runsDone,
      violations: violated.size,
      running: [...running].sort((a, b) => a - b).map(label),
    });
  };
  return {
    progress,
    onProgress: (k, n) => {
      running.add(k);
      account(k, n);
    },
    onOutcome: (k, outcome) => {
      running.delete(k);
      if (outcome.kind === 'report') {
        const own = outcome.reports[0];
        for (const p of own?.properties ?? [])
          if (p.status === 'violated') violated.add(`${own?.name ?? ''}/${p.id}`);
      }
      account(k, runsOf(mine[k]));
    },
  };
}

/**
 * Listens for SIGINT and SIGTERM until `remove()`: the first aborts `interrupt` and is
 * remembered. One listener per signal, removed after the run: a second Ctrl-C or SIGTERM
 * while the report is written ends the process the default way.
 */
function stopOnSignals(): {
  readonly interrupt: AbortController;
  signal(): StopSignal | null;
  remove(): void;
} {
  const interrupt = new AbortController();
  let signal: StopSignal | null = null;
  const listeners = (Object.keys(stopSignals) as StopSignal[]).map((name) => {
    const listener = (): void => {
      signal ??= name;
      interrupt.abort();
    };
    process.once(name, listener);
    return [name, listener] as const;
  });
  return {
    interrupt,
    signal: () => signal,
    remove: () => {
      for (const [name, listener] of listeners) process.removeListener(name, listener);
    },
  };
}

/**
 * Runs jobs `mine` (indexes into `allJobs`) under the isolation flags. Not pure (workers,
 * wall clock, SIGINT and SIGTERM listeners for the duration).
 *
 * @returns every job's outcome by index into `allJobs` (undefined: not run or unfinished),
 *   and why the pool stopped early, if it did (the signal's name when one interrupted it).
 */
export async function runPool(
  allJobs: readonly ExploreJob[],
  mine: readonly number[],
  isolation: IsolationFlags,
  io: Io,
  progressMode: ProgressMode,
): Promise<{ outcomes: (JobOutcome | undefined)[]; stopped: PoolStop }> {
  const mode = resolveProgress(progressMode, io.errIsTTY);
  const { progress, onProgress, onOutcome } = poolProgress(allJobs, mine, io, mode);
  // Plain lines keep coming while no run ends (a long shrink); the timer never holds the process.
  const timer = mode === 'none' ? undefined : setInterval(() => progress.poll(), 500);
  timer?.unref();
  const splitMinRuns = splitMinRunsOf(io.env);
  const stop = stopOnSignals();
  const pool = await runJobs(
    mine.map((i) => allJobs[i] as ExploreJob),
    {
      workers: isolation.workers,
      limits: isolation.limits,
      ...(isolation.timeLimitMs === undefined ? {} : { timeLimitMs: isolation.timeLimitMs }),
      signal: stop.interrupt.signal,
      ...(splitMinRuns === undefined ? {} : { splitMinRuns }),
      onProgress,
      onOutcome,
    },
  ).finally(() => {
    stop.remove();
    if (timer !== undefined) clearInterval(timer);
  });
  progress.done();
  const outcomes: (JobOutcome | undefined)[] = allJobs.map(() => undefined);
  mine.forEach((job, k) => (outcomes[job] = pool.outcomes[k]));
  const stopped: PoolStop = pool.stopped === 'interrupted' ? (stop.signal() ?? 'SIGINT') : pool.stopped;
  return { outcomes, stopped };
}
