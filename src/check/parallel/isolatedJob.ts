/**
 * Runs one exploration job in its own worker thread under a watchdog: a run that does not
 * end (an infinite loop in the design), a design that keeps the microtask queue busy after
 * its run, one holding real timers, or one exceeding the heap cap is reported as a runaway
 * naming the run, and the worker is ended, so nothing it started outlives the job.
 */
import { Worker } from 'node:worker_threads';
import {
  cell,
  type ExploreJob,
  type JobOutcome,
  type RunLimits,
  type Runaway,
  type WorkerMessage,
} from './protocol.ts';

const bootUrl = new URL('./workerBoot.mjs', import.meta.url);

/** How often the watchdog looks at the progress cells, in ms. */
const watchEveryMs = 50;

/** Wall-clock ms a worker may spend loading the design before its first run. */
const loadLimitMs = 60_000;

/** A running job: its outcome, and a way to end it early (time limit, SIGINT). */
export interface RunningJob {
  readonly outcome: Promise<JobOutcome>;
  /** Ends the worker; the outcome resolves to an error saying why. */
  stop(why: string): void;
}

/**
 * Starts `job` in a fresh worker. Reads the wall clock (watchdog only); the report itself
 * is the same as an in-process `explore` of the job.
 *
 * @example
 * const outcome = await startJob({ design: 'reference', cwd, profile: 'lan', runs: 200, seed: 1 }, defaultLimits).outcome;
 */
export function startJob(job: ExploreJob, limits: RunLimits): RunningJob {
  const progress = new SharedArrayBuffer(4 * 4);
  const cells = new Int32Array(progress);
  const worker = new Worker(bootUrl, {
    workerData: { job, progress },
    resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb },
    stdout: true,
    stderr: true,
  });
  // A design's console output is not the report's: drop it.
  worker.stdout.resume();
  worker.stderr.resume();
  let settle: (o: JobOutcome) => void = () => {};
  const outcome = new Promise<JobOutcome>((resolve) => (settle = resolve));
  let done = false;
  const finish = (o: JobOutcome): void => {
    if (done) return;
    done = true;
    clearInterval(watch);
    void worker.terminate();
    settle(o);
  };
  const runaway = (kind: Runaway['kind'], message: string): void => {
    const started = Atomics.load(cells, cell.state) !== 0;
    finish({
      kind: 'runaway',
      runaway: {
        kind,
        design: job.design,
        profile: job.profile,
        seed: started ? Atomics.load(cells, cell.seed) : job.seed,
        index: started ? Atomics.load(cells, cell.index) : -1,
        message,
      },
    });
  };

  let lastStamp = -1;
  let lastChange = performance.now();
  const watch = setInterval(() => {
    const stamp = Atomics.load(cells, cell.stamp);
    const now = performance.now();
    if (stamp !== lastStamp) {
      lastStamp = stamp;
      lastChange = now;
      return;
    }
    const state = Atomics.load(cells, cell.state);
    if (state === 0 && now - lastChange > loadLimitMs) {
      runaway(
        'hung',
        `loading the design took over ${loadLimitMs} ms (a module that never finishes loading?)`,
      );
      return;
    }
    if (now - lastChange <= limits.runMs || (state !== 1 && state !== 2)) return;
    if (state === 1) {
      runaway(
        'hung',
        `the run did not end within ${limits.runMs} ms of wall time (a loop that never yields?)`,
      );
    } else {
      runaway(
        'spinning',
        `the run ended but the design kept the microtask queue busy for ${limits.runMs} ms (e.g. for (;;) await Promise.resolve())`,
      );
    }
  }, watchEveryMs);

  worker.on('message', (m: WorkerMessage) => {
    if (m.type === 'report') finish({ kind: 'report', reports: m.reports });
    else if (m.type === 'realTimers') {
      runaway(
        'real-timers',
        `the design left ${m.count} real timer(s) (setTimeout/setInterval) set after the run; use the simulated runtime's sleep`,
      );
    } else finish({ kind: 'error', message: m.message });
  });
  worker.on('error', (e: Error & { code?: string }) => {
    if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      runaway(
        'memory',
        `the exploration exceeded the memory cap of ${limits.memoryMb} MB (a design keeping data across runs?)`,
      );
    } else runaway('crashed', `the exploration crashed: ${e.message.split('\n')[0] ?? ''}`);
  });
  worker.on('exit', (code) => {
    if (!done) runaway('crashed', `the exploration's worker exited with code ${code} before reporting`);
  });
  return { outcome, stop: (why) => finish({ kind: 'error', message: why }) };
}
