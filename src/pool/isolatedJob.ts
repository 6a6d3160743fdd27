/**
 * Runs one exploration job on worker threads of its own (one, or several when the pool has
 * workers to spare), each under a watchdog (workerHandle.ts). The job's explorations are
 * coordinated here, round by round (exploreRounds.ts): a round's runs go out in chunks to the
 * job's workers, results are merged in run order, so the report is the one an in-process
 * `explore` gives whatever the number of workers. A runaway is reported once the runs before
 * it are known to count (a chunk after a failing run ran on an assumption that was false).
 */
import type { ChunkResult, ShrinkResult } from '../explore/exploreChunk.ts';
import { exploreRounds, type ChunkExecutor, type Outcome } from '../explore/exploreRounds.ts';
import type { DesignReport } from '../explore/explore.ts';
import type { ExploreJob, JobOutcome, JobStop, RunLimits, TaskMessage, TaskReply } from './protocol.ts';
import { spawnWorker, type ReadyExplorations, type WorkerHandle } from './workerHandle.ts';

/** A running job: its outcome, and ways to end it early or give it another worker. */
export interface RunningJob {
  readonly outcome: Promise<JobOutcome>;
  /** Ends the workers; the outcome resolves to an error saying why. */
  stop(why: string): void;
  /** Starts one more worker for the job (it takes chunks once loaded). */
  addWorker(): void;
  /** Workers started for the job and not ended. */
  workers(): number;
}

/** Options of a job beyond its data and limits. */
export interface JobOptions {
  /** Workers to start with (default 1). */
  readonly workers?: number;
  /** Called as runs that count add up: the job's generated runs so far, over its explorations. */
  readonly onProgress?: (runsDone: number) => void;
}

/**
 * Size of the `k`-th chunk of a round: small first (a failing design fails early in a round,
 * and a chunk after the failing run is wasted), doubling to 256 runs, where the cost of a
 * chunk (a message each way, a fast-check call) is far below its runs'.
 */
export const chunkSize = (k: number): number => 8 << Math.min(k, 5);

interface Queued {
  readonly message: TaskMessage;
  readonly resolve: (o: Outcome<TaskReply, JobStop>) => void;
}

/**
 * Starts `job`. Reads the wall clock (watchdogs only); the report itself is the same as an
 * in-process `explore` of each of the job's explorations.
 *
 * @example
 * const outcome = await startJob({ design: 'reference', cwd, profile: 'lan', runs: 200, seed: 1 }, defaultLimits).outcome;
 */
export function startJob(job: ExploreJob, limits: RunLimits, options: JobOptions = {}): RunningJob {
  const live = new Set<WorkerHandle>();
  const idle: WorkerHandle[] = [];
  const queue: Queued[] = [];
  let generation = 0;
  let nextId = 0;
  let ended: JobStop | undefined;
  let settle: (o: JobOutcome) => void = () => {};
  const outcome = new Promise<JobOutcome>((resolve) => (settle = resolve));
  let announce: (o: Outcome<ReadyExplorations, JobStop>) => void = () => {};
  const firstReady = new Promise<Outcome<ReadyExplorations, JobStop>>((resolve) => (announce = resolve));

  const finish = (o: JobOutcome): void => {
    if (ended !== undefined) return;
    ended = o.kind === 'report' ? { kind: 'error', message: 'the job has ended' } : o;
    for (const w of live) w.end(ended);
    for (const q of queue.splice(0)) q.resolve({ ok: false, stop: ended });
    announce({ ok: false, stop: ended });
    settle(o);
  };

  const pump = (): void => {
    while (ended === undefined && idle.length > 0 && queue.length > 0) {
      const w = idle.pop() as WorkerHandle;
      const q = queue.shift() as Queued;
      void w.run(q.message).then((o) => {
        if (o.ok) idle.push(w);
        else {
          // A worker that stopped is gone; whether its stop counts is the coordinator's call.
          // A replacement keeps the job's parallelism if the exploration goes on.
          live.delete(w);
          if (ended === undefined) spawn();
        }
        q.resolve(o);
        pump();
      });
    }
  };

  const spawn = (): void => {
    const w = spawnWorker(job, limits, generation);
    live.add(w);
    void w.ready.then((o) => {
      // Loading is the same in every worker: a design that fails to load fails the job.
      if (!o.ok) finish(o.stop);
      else {
        announce(o);
        idle.push(w);
        pump();
      }
    });
  };

  const send = (message: TaskMessage): Promise<Outcome<TaskReply, JobStop>> => {
    if (ended !== undefined) return Promise.resolve({ ok: false, stop: ended });
    return new Promise((resolve) => {
      queue.push({ message, resolve });
      pump();
    });
  };

  const executor = (exploration: number): ChunkExecutor<JobStop> => ({
    outstanding: () => 2 * Math.max(1, live.size),
    chunkSize,
    chunk: async (task) => {
      const o = await send({ type: 'chunk', id: nextId++, exploration, generation, task });
      return o.ok ? { ok: true, value: o.value.result as ChunkResult } : o;
    },
    shrink: async (task) => {
      const o = await send({ type: 'shrink', id: nextId++, exploration, task });
      return o.ok ? { ok: true, value: o.value.result as ShrinkResult } : o;
    },
    cancel: () => {
      generation++;
      for (const w of live) w.want(generation);
      // Chunks not started are dropped; their results would be ignored anyway.
      for (let k = queue.length - 1; k >= 0; k--) {
        const q = queue[k] as Queued;
        if (q.message.type !== 'chunk') continue;
        queue.splice(k, 1);
        q.resolve({ ok: false, stop: { kind: 'error', message: 'cancelled' } });
      }
    },
  });

  const explore = async (): Promise<void> => {
    const ready = await firstReady;
    if (!ready.ok) return finish(ready.stop);
    const reports: DesignReport[] = [];
    let offset = 0;
    for (const [k, plan] of ready.value.entries()) {
      const start = offset;
      const onProgress = options.onProgress;
      const o = await exploreRounds(
        onProgress === undefined ? plan : { ...plan, onProgress: (n) => onProgress(start + n) },
        executor(k),
      );
      if (!o.ok) return finish(o.stop);
      reports.push(o.value);
      offset += o.value.runs;
    }
    finish({ kind: 'report', reports });
  };

  for (let k = 0; k < Math.max(1, options.workers ?? 1); k++) spawn();
  void explore().catch((e: unknown) =>
    finish({ kind: 'error', message: e instanceof Error ? e.message : String(e) }),
  );
  return {
    outcome,
    stop: (why) => finish({ kind: 'error', message: why }),
    addWorker: () => {
      if (ended === undefined) spawn();
    },
    workers: () => live.size,
  };
}
