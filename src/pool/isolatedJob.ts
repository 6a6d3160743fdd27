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

/** One job's workers, its queue of tasks and how it ended. */
class Job {
  readonly live = new Set<WorkerHandle>();
  private readonly idle: WorkerHandle[] = [];
  private readonly queue: Queued[] = [];
  private generation = 0;
  private nextId = 0;
  private ended: JobStop | undefined;
  private settle: (o: JobOutcome) => void = () => {};
  readonly outcome: Promise<JobOutcome>;
  private announce: (o: Outcome<ReadyExplorations, JobStop>) => void = () => {};
  private readonly firstReady: Promise<Outcome<ReadyExplorations, JobStop>>;

  constructor(
    private readonly job: ExploreJob,
    private readonly limits: RunLimits,
    private readonly options: JobOptions,
  ) {
    this.outcome = new Promise<JobOutcome>((resolve) => (this.settle = resolve));
    this.firstReady = new Promise<Outcome<ReadyExplorations, JobStop>>(
      (resolve) => (this.announce = resolve),
    );
  }

  get isOver(): boolean {
    return this.ended !== undefined;
  }

  /** Ends the job once: every worker, queued task and waiter learns why. */
  finish(o: JobOutcome): void {
    if (this.ended !== undefined) return;
    const ended: JobStop = o.kind === 'report' ? { kind: 'error', message: 'the job has ended' } : o;
    this.ended = ended;
    for (const w of this.live) w.end(ended);
    for (const q of this.queue.splice(0)) q.resolve({ ok: false, stop: ended });
    this.announce({ ok: false, stop: ended });
    this.settle(o);
  }

  /** Hands queued tasks to idle workers. */
  private pump(): void {
    while (this.ended === undefined && this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop() as WorkerHandle;
      const q = this.queue.shift() as Queued;
      void w.run(q.message).then((o) => {
        if (o.ok) this.idle.push(w);
        else {
          // A worker that stopped is gone; whether its stop counts is the coordinator's call.
          // A replacement keeps the job's parallelism if the exploration goes on.
          this.live.delete(w);
          if (this.ended === undefined) this.spawn();
        }
        q.resolve(o);
        this.pump();
      });
    }
  }

  /** Starts one worker; it takes tasks once loaded. */
  spawn(): void {
    const w = spawnWorker(this.job, this.limits, this.generation);
    this.live.add(w);
    void w.ready.then((o) => {
      // Loading is the same in every worker: a design that fails to load fails the job.
      if (!o.ok) this.finish(o.stop);
      else {
        this.announce(o);
        this.idle.push(w);
        this.pump();
      }
    });
  }

  private send(message: TaskMessage): Promise<Outcome<TaskReply, JobStop>> {
    const ended = this.ended;
    if (ended !== undefined) return Promise.resolve({ ok: false, stop: ended });
    return new Promise((resolve) => {
      this.queue.push({ message, resolve });
      this.pump();
    });
  }

  /** Every chunk handed out and not merged is unwanted: workers learn it, queued chunks are dropped. */
  private cancel(): void {
    this.generation++;
    for (const w of this.live) w.want(this.generation);
    // Chunks not started are dropped; their results would be ignored anyway.
    for (let k = this.queue.length - 1; k >= 0; k--) {
      const q = this.queue[k] as Queued;
      if (q.message.type !== 'chunk') continue;
      this.queue.splice(k, 1);
      q.resolve({ ok: false, stop: { kind: 'error', message: 'cancelled' } });
    }
  }

  /** Runs exploration `exploration`'s chunks and shrinks on the job's workers. */
  private executor(exploration: number): ChunkExecutor<JobStop> {
    return {
      outstanding: () => 2 * Math.max(1, this.live.size),
      chunkSize,
      chunk: async (task) => {
        const o = await this.send({
          type: 'chunk',
          id: this.nextId++,
          exploration,
          generation: this.generation,
          task,
        });
        return o.ok ? { ok: true, value: o.value.result as ChunkResult } : o;
      },
      shrink: async (task) => {
        const o = await this.send({ type: 'shrink', id: this.nextId++, exploration, task });
        return o.ok ? { ok: true, value: o.value.result as ShrinkResult } : o;
      },
      cancel: () => this.cancel(),
    };
  }

  /** Explores the job's explorations in order, once a worker has loaded them. */
  async explore(): Promise<void> {
    const ready = await this.firstReady;
    if (!ready.ok) return this.finish(ready.stop);
    const reports: DesignReport[] = [];
    let offset = 0;
    for (const [k, plan] of ready.value.entries()) {
      const start = offset;
      const onProgress = this.options.onProgress;
      const o = await exploreRounds(
        onProgress === undefined ? plan : { ...plan, onProgress: (n) => onProgress(start + n) },
        this.executor(k),
      );
      if (!o.ok) return this.finish(o.stop);
      reports.push(o.value);
      offset += o.value.runs;
    }
    this.finish({ kind: 'report', reports });
  }
}

/**
 * Starts `job`. Reads the wall clock (watchdogs only); the report itself is the same as an
 * in-process `explore` of each of the job's explorations.
 *
 * @example
 * const outcome = await startJob({ design: 'reference', cwd, profile: 'lan', runs: 200, seed: 1 }, defaultLimits).outcome;
 */
export function startJob(job: ExploreJob, limits: RunLimits, options: JobOptions = {}): RunningJob {
  const running = new Job(job, limits, options);
  for (let k = 0; k < Math.max(1, options.workers ?? 1); k++) running.spawn();
  void running
    .explore()
    .catch((e: unknown) =>
      running.finish({ kind: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
  return {
    outcome: running.outcome,
    stop: (why) => running.finish({ kind: 'error', message: why }),
    addWorker: () => {
      if (!running.isOver) running.spawn();
    },
    workers: () => running.live.size,
  };
}
