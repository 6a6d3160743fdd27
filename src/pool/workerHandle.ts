/**
 * One exploration worker thread under a watchdog: it loads the job's design, then answers the
 * tasks it is sent one at a time. A run that does not end (an infinite loop in the design), a
 * design that keeps the microtask queue busy after its run, one holding real timers, or one
 * exceeding the heap cap is reported as a runaway naming the run (from the shared progress
 * cells), and the worker is ended, so nothing it started outlives it. The process's resident
 * memory is watched too: Buffers and other memory outside the JS heap escape the heap cap.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { Outcome } from '../explore/exploreRounds.ts';
import {
  cell,
  cellBytes,
  type ExploreJob,
  type JobStop,
  type RunLimits,
  type Runaway,
  type TaskMessage,
  type TaskReply,
  type WorkerMessage,
  type WorkerStart,
} from './protocol.ts';

const bootUrl = new URL('./workerBoot.mjs', import.meta.url);

/** How often the watchdog looks at the progress cells, in ms. */
const watchEveryMs = 50;

/** Wall-clock ms a worker may spend loading the design before its first run. */
const loadLimitMs = 60_000;

/**
 * Most young generation of an exploration worker, in MB. A run allocates about 250 KB that
 * dies young (trace entries, frames, promises); under V8's default cap the worker scavenges
 * every few dozen runs, and garbage collection was 16-19% of its CPU profile. With this cap
 * (V8 grows the young generation only as far as it needs) a 2,500-run lan check of the
 * reference ran 1.20x as fast (bench/check.bench.ts against the commit before, median of 7);
 * in a one-off comparison 768 MB was no faster. It is per worker: at most this times
 * `--workers`.
 */
export const youngGenerationMb = 256;

/**
 * How often the process's resident memory is sampled, in ms: a design filling memory at a
 * GB a second overshoots its cap by at most about a fifth of a GB.
 */
export const residentEveryMs = 200;

/**
 * Resident memory the main thread may use besides the workers, in MB (the loaded modules,
 * the plan, the outcomes), on top of what the process held when its first worker started.
 */
export const mainThreadAllowanceMb = 256;

/** A running worker as the resident-memory watchdog sees it. */
interface Watched {
  readonly cells: Int32Array;
  readonly memoryMb: number;
  trip(message: string): void;
}

/** Every running exploration worker of this process. */
const watched = new Set<Watched>();
/** The process's resident memory, in MB, when the first of the running workers started. */
let baselineMb: number | undefined;
let lastResidentCheck = 0;

const residentMb = (): number => process.memoryUsage.rss() / 2 ** 20;

/**
 * The process's resident memory cap, in MB, while workers with heap caps `workerMemoryMb`
 * run: what it held when the first of them started, the main thread's allowance, and per worker its heap cap plus its young
 * generation. Memory past it is held outside the JS heap (Buffers, ArrayBuffers, native
 * memory), which no heap cap bounds. Pure.
 *
 * @example
 * residentCapMb(150, [200]); // 150 + 256 + 200 + 256
 */
export function residentCapMb(baseline: number, workerMemoryMb: readonly number[]): number {
  return (
    baseline + mainThreadAllowanceMb + workerMemoryMb.reduce((sum, mb) => sum + mb + youngGenerationMb, 0)
  );
}

/**
 * Samples the process's resident memory (at most every `residentEveryMs`); over the cap, ends
 * the worker that held the most after its last run, with the `memory` runaway verdict the
 * heap cap gives. Reads the wall clock and the process's memory.
 */
function checkResident(now: number): void {
  if (now - lastResidentCheck < residentEveryMs || watched.size === 0) return;
  lastResidentCheck = now;
  const rss = residentMb();
  const cap = residentCapMb(
    baselineMb ?? 0,
    [...watched].map((w) => w.memoryMb),
  );
  if (rss <= cap) return;
  let worst: Watched | undefined;
  for (const w of watched) {
    if (
      worst === undefined ||
      Atomics.load(w.cells, cell.footprintMb) > Atomics.load(worst.cells, cell.footprintMb)
    )
      worst = w;
  }
  worst?.trip(
    `the process's resident memory reached ${Math.round(rss)} MB, over its cap of ${Math.round(cap)} MB ` +
      `(--memory-limit ${worst.memoryMb} MB per worker; this worker held ${Atomics.load(worst.cells, cell.footprintMb)} MB after its last run): ` +
      'memory outside the JS heap, e.g. Buffers kept across runs?',
  );
}

/** A worker started before its job was known: its modules load while the main thread plans. */
interface Prestarted {
  readonly worker: Worker;
  readonly memoryMb: number;
  alive: boolean;
}

let prestarted: Prestarted | null = null;

const workerOptions = (memoryMb: number, workerData: unknown): WorkerOptions => ({
  workerData,
  resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: youngGenerationMb },
  stdout: true,
  stderr: true,
});

/**
 * Starts one exploration worker now, before its job is known, so that loading the
 * exploration modules (about 100 ms) overlaps the main thread's own loading and planning; the
 * next `spawnWorker` with the same memory cap takes it. It keeps no process alive while
 * unused, and one with another cap is ended instead of used. Reads nothing; starts a thread.
 */
export function prestartWorker(limits: RunLimits): void {
  if (prestarted !== null) return;
  const worker = new Worker(bootUrl, workerOptions(limits.memoryMb, { prestart: true }));
  // Unreferenced, and its output not read until it is taken (a flowing stream would keep the
  // process alive): it loads only this package's modules, which print nothing.
  worker.unref();
  const p: Prestarted = { worker, memoryMb: limits.memoryMb, alive: true };
  const dead = (): void => {
    p.alive = false;
  };
  worker.once('exit', dead);
  worker.once('error', dead);
  prestarted = p;
}

/** Whether a prestarted worker waits to be taken. */
export function hasPrestartedWorker(): boolean {
  return prestarted !== null;
}

/**
 * The prestarted worker when it is alive and has the cap `limits` asks for (the caller sends
 * it its job), else null, ending one that does not fit. `spawnWorker` calls it.
 */
export function takePrestarted(limits: RunLimits): Worker | null {
  const p = prestarted;
  prestarted = null;
  if (p === null) return null;
  if (!p.alive || p.memoryMb !== limits.memoryMb) {
    void p.worker.terminate();
    return null;
  }
  p.worker.ref();
  return p.worker;
}

/** The explorations a loaded worker announces. */
export type ReadyExplorations = Extract<WorkerMessage, { type: 'ready' }>['explorations'];

/** A running exploration worker. */
export interface WorkerHandle {
  /** The job's explorations once the design is loaded, or why the worker stopped first. */
  readonly ready: Promise<Outcome<ReadyExplorations, JobStop>>;
  /** Sends one task (after `ready`, one at a time): its reply, or why the worker stopped. */
  run(message: TaskMessage): Promise<Outcome<TaskReply, JobStop>>;
  /** Chunks of generations other than `generation` are no longer wanted: they stop early. */
  want(generation: number): void;
  /** Ends the worker; a task in flight resolves to `why`. */
  end(why: JobStop): void;
}

/** The stop of `job`'s worker that ran away: the run it was on (from its cells) and why. */
function runawayStop(job: ExploreJob, cells: Int32Array, kind: Runaway['kind'], message: string): JobStop {
  const started = Atomics.load(cells, cell.state) !== 0;
  // A shrink candidate has no replay line of its own: the line replays the run shrunk.
  const shrinking =
    started && Atomics.load(cells, cell.shrinking) === 1
      ? '; it was a shrink candidate of this run, which the replay line runs'
      : '';
  return {
    kind: 'runaway',
    runaway: {
      kind,
      design: job.design,
      profile: job.profile,
      seed: started ? Atomics.load(cells, cell.seed) : job.seed,
      index: started ? Atomics.load(cells, cell.index) : -1,
      message: `${message}${shrinking}`,
    },
  };
}

/**
 * The watchdog's tick for one worker: checks the process's memory, then reports a worker
 * whose progress stamp has not moved for too long (loading, a run, or the microtasks after
 * one) as hung or spinning. Reads the wall clock.
 */
function watchdog(
  cells: Int32Array,
  limits: RunLimits,
  stopped: () => boolean,
  runaway: (kind: Runaway['kind'], message: string) => void,
): () => void {
  let lastStamp = -1;
  let lastChange = performance.now();
  return () => {
    const stamp = Atomics.load(cells, cell.stamp);
    const now = performance.now();
    checkResident(now);
    if (stopped()) return;
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
  };
}

/**
 * A worker for `job` (a prestarted one when there is one), its progress cells cancelling
 * every generation but `generation`, its console output dropped.
 */
function startWorker(
  job: ExploreJob,
  limits: RunLimits,
  generation: number,
): { readonly worker: Worker; readonly cells: Int32Array } {
  // With no worker running, what the process holds now is the main thread's (and a
  // prestarted worker's): the baseline of the cap, taken afresh for each pool run.
  if (watched.size === 0) baselineMb = residentMb();
  const progress = new SharedArrayBuffer(cellBytes);
  const cells = new Int32Array(progress);
  Atomics.store(cells, cell.cancel, generation);
  const taken = takePrestarted(limits);
  const worker = taken ?? new Worker(bootUrl, workerOptions(limits.memoryMb, { job, progress }));
  if (taken !== null) taken.postMessage({ job, progress } satisfies WorkerStart);
  // A design's console output is not the report's: drop it.
  worker.stdout.resume();
  worker.stderr.resume();
  return { worker, cells };
}

/** Reports a worker that runs out of memory, crashes or exits before reporting as a runaway. */
function onFailure(
  worker: Worker,
  limits: RunLimits,
  runaway: (kind: Runaway['kind'], message: string) => void,
): void {
  worker.on('error', (e: Error & { code?: string }) => {
    if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      runaway(
        'memory',
        `the exploration exceeded the memory cap of ${limits.memoryMb} MB (a design keeping data across runs?)`,
      );
    } else runaway('crashed', `the exploration crashed: ${e.message.split('\n')[0] ?? ''}`);
  });
  worker.on('exit', (code) => {
    runaway('crashed', `the exploration's worker exited with code ${code} before reporting`);
  });
}

/**
 * Starts a worker for `job`. Reads the wall clock (watchdog only).
 *
 * @example
 * const w = spawnWorker(job, defaultLimits, 0);
 * const ready = await w.ready;
 */
export function spawnWorker(job: ExploreJob, limits: RunLimits, generation: number): WorkerHandle {
  const { worker, cells } = startWorker(job, limits, generation);
  let stopped: JobStop | undefined;
  let onReady: (o: Outcome<ReadyExplorations, JobStop>) => void = () => {};
  const ready = new Promise<Outcome<ReadyExplorations, JobStop>>((resolve) => (onReady = resolve));
  let onReply: ((o: Outcome<TaskReply, JobStop>) => void) | undefined;
  const stop = (why: JobStop): void => {
    if (stopped !== undefined) return;
    stopped = why;
    clearInterval(watch);
    watched.delete(self);
    void worker.terminate();
    onReady({ ok: false, stop: why });
    onReply?.({ ok: false, stop: why });
    onReply = undefined;
  };
  const runaway = (kind: Runaway['kind'], message: string): void =>
    stop(runawayStop(job, cells, kind, message));

  const self: Watched = {
    cells,
    memoryMb: limits.memoryMb,
    trip: (message) => runaway('memory', message),
  };
  watched.add(self);

  const watch = setInterval(
    watchdog(cells, limits, () => stopped !== undefined, runaway),
    watchEveryMs,
  );

  worker.on('message', (m: WorkerMessage) => {
    if (m.type === 'ready') onReady({ ok: true, value: m.explorations });
    else if (m.type === 'chunk' || m.type === 'shrink') {
      const reply = onReply;
      onReply = undefined;
      reply?.({ ok: true, value: m });
    } else if (m.type === 'realTimers') {
      runaway(
        'real-timers',
        `the design left ${m.count} real timer(s) (setTimeout/setInterval) set after the run; use the simulated runtime's sleep`,
      );
    } else stop({ kind: 'error', message: m.message });
  });
  onFailure(worker, limits, runaway);

  return {
    ready,
    run: (message) => {
      if (stopped !== undefined) return Promise.resolve({ ok: false, stop: stopped });
      return new Promise((resolve) => {
        onReply = resolve;
        worker.postMessage(message);
      });
    },
    want: (g) => Atomics.store(cells, cell.cancel, g),
    end: stop,
  };
}
