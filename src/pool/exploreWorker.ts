/**
 * The body of an exploration worker: loads the design itself (from its name or module path,
 * never a cloned object), then runs the chunks and shrinks of the job's explorations the main
 * thread sends (exploreRounds.ts coordinates them there), one at a time, and tells the main
 * thread where it is through shared cells, so a watchdog can name the run that never ends.
 *
 * Real timers: a design must live on the simulated clock. The worker counts the real
 * setTimeout/setInterval handles a design holds; one still held after a run ends is reported
 * (and the worker is ended, so it never keeps a process alive).
 */
import { PythonRunnerDied } from '../python/runner.ts';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { loadDesign } from '../design/loadDesign.ts';
import { contextOf, withPaths } from '../explore/explore.ts';
import { runChunk, shrinkAt, type ChunkSubject, type RunHooks } from '../explore/exploreChunk.ts';
import { jobExplorations } from './jobDesign.ts';
import { cell, type TaskMessage, type WorkerMessage, type WorkerStart } from './protocol.ts';

// The modules above are loaded by now; a prestarted worker (workerHandle.ts) waits here for
// its job, which the main thread sends once it knows it.
const given = workerData as Partial<WorkerStart> & { readonly prestart?: boolean };
const { job, progress } =
  given.prestart === true
    ? await new Promise<WorkerStart>((resolve) => parentPort?.once('message', resolve))
    : (given as WorkerStart);
const cells = new Int32Array(progress);
const post = (m: WorkerMessage): void => parentPort?.postMessage(m);

function set(state: number, seed?: number, index?: number): void {
  if (state === 2) {
    // After each run (about 3 us, against a run's millisecond): what this isolate holds,
    // Buffers included, for the parent's resident-memory watchdog.
    const heap = getHeapStatistics();
    Atomics.store(
      cells,
      cell.footprintMb,
      Math.round((heap.used_heap_size + heap.external_memory) / 2 ** 20),
    );
  }
  if (seed !== undefined) Atomics.store(cells, cell.seed, seed);
  if (index !== undefined) Atomics.store(cells, cell.index, index);
  Atomics.store(cells, cell.state, state);
  Atomics.add(cells, cell.stamp, 1);
}

// Live real timers created after this point (by the design or anything it calls).
const live = new Set<unknown>();
const realSetTimeout = globalThis.setTimeout;
const realSetInterval = globalThis.setInterval;
const realClearTimeout = globalThis.clearTimeout;
const realClearInterval = globalThis.clearInterval;
globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
  const handle = realSetTimeout(
    (...a: unknown[]) => {
      live.delete(handle);
      fn(...a);
    },
    ms,
    ...args,
  );
  live.add(handle);
  return handle;
}) as typeof setTimeout;
globalThis.setInterval = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
  const handle = realSetInterval(fn, ms, ...args);
  live.add(handle);
  return handle;
}) as typeof setInterval;
globalThis.clearTimeout = ((h: Parameters<typeof clearTimeout>[0]) => {
  live.delete(h);
  realClearTimeout(h);
}) as typeof clearTimeout;
globalThis.clearInterval = ((h: Parameters<typeof clearInterval>[0]) => {
  live.delete(h);
  realClearInterval(h);
}) as typeof clearInterval;

/** Resolves once the event loop turns: never, while a design keeps the microtask queue busy. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const hooks: RunHooks = {
  // A shrinking run (index -1) keeps the index of the generated run being shrunk.
  onRunStart: (seed, index) => (index < 0 ? set(1) : set(1, seed, index)),
  afterRun: async () => {
    set(2);
    if (live.size > 0) {
      post({ type: 'realTimers', count: live.size });
      // Wait here: the main thread ends this worker.
      await new Promise(() => {});
    }
    await nextTurn();
  },
};

async function serve(subjects: readonly ChunkSubject[], m: TaskMessage): Promise<void> {
  const subject = subjects[m.exploration];
  if (subject === undefined) throw new Error(`no exploration ${m.exploration} in this job`);
  if (m.type === 'chunk') {
    const cancelled = (): boolean => Atomics.load(cells, cell.cancel) !== m.generation;
    const result = await runChunk(subject, m.task, { ...hooks, cancelled });
    set(3);
    post({ type: 'chunk', id: m.id, result });
  } else {
    // The cells name the run being shrunk (this worker's last chunk may have been another).
    Atomics.store(cells, cell.shrinking, 1);
    set(1, m.task.roundSeed, m.task.index);
    const result = await shrinkAt(subject, m.task, hooks);
    Atomics.store(cells, cell.shrinking, 0);
    set(3);
    post({ type: 'shrink', id: m.id, result });
  }
}

async function main(): Promise<void> {
  const explorations = jobExplorations(await loadDesign(job.design, job.cwd), job);
  const subjects = explorations.map(({ design, options }): ChunkSubject => ({
    design,
    profile: options.profile,
    ctx: contextOf(design, options.profile),
    ...(options.config === undefined ? {} : { config: options.config }),
  }));
  set(3);
  post({
    type: 'ready',
    explorations: explorations.map(({ design, options }) => ({
      name: design.name,
      profile: options.profile,
      seed: options.seed,
      runs: options.runs,
      ...(options.maxShrinkRuns === undefined ? {} : { maxShrinkRuns: options.maxShrinkRuns }),
      ...(options.determinismEvery === undefined ? {} : { determinismEvery: options.determinismEvery }),
      ...withPaths(design),
    })),
  });
  // One task at a time: the main thread sends the next once this one is answered.
  parentPort?.on('message', (m: TaskMessage) => {
    serve(subjects, m).catch(fail);
  });
}

/**
 * A harness error is reported as one; a Python design's runner process that died during a run
 * (the design's own process: `os._exit`, a crash of the interpreter) crashes this worker, so
 * the main thread reports a crashed design naming the run, as for a crashed TS design.
 */
const fail = (e: unknown): void => {
  if (e instanceof PythonRunnerDied) {
    setImmediate(() => {
      throw e;
    });
    return;
  }
  post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
};

main().catch(fail);
