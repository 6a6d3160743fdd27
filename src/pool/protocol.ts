/**
 * What the main thread and an exploration worker exchange: the job, the limits, the
 * shared progress cells a watchdog reads, and the outcome.
 */
import type { LifecycleConfig } from '../core/types.ts';
import type { PythonVersion } from '../sim/types.ts';
import type { DesignReport } from '../explore/explore.ts';
import type { ChunkResult, ChunkTask, ShrinkResult, ShrinkTask } from '../explore/exploreChunk.ts';
import type { ExplorationPlan } from '../explore/exploreRounds.ts';
import type { Reading } from '../design/readings.ts';
import { reproduceCommand } from '../explore/reproduceCommand.ts';
import type { ExploreProfile } from '../explore/scenarioArb.ts';

/**
 * One design explored under one profile (a seed port: under each of its readings, one after
 * the other in the same worker): the unit of isolation, of parallelism and of sharding.
 */
export interface ExploreJob {
  /** `--design` as given: a bundled name or a module path (the worker loads it itself). */
  readonly design: string;
  /** Directory a relative module path is resolved from. */
  readonly cwd: string;
  readonly profile: ExploreProfile;
  readonly runs: number;
  readonly seed: number;
  readonly config?: LifecycleConfig;
  /**
   * A seed port's non-default readings, explored after the module's own design (the default
   * reading) as the port's `design(reading)` (readings.ts), `otherRuns` runs each, unshrunk:
   * they only say whether a property is violated.
   */
  readonly readings?: readonly Reading[];
  readonly otherRuns?: number;
  /** The Python version a handler design runs on (src/sim/python.ts). */
  readonly python?: PythonVersion;
}

/** Limits of one isolated exploration. */
export interface RunLimits {
  /** Wall-clock ms one run may take (and its leftovers, after it ended) before it counts as hung. */
  readonly runMs: number;
  /**
   * Heap cap of the worker, in MB (worker resourceLimits.maxOldGenerationSizeMb); the
   * process's resident memory is capped by it too, per running worker (workerHandle.ts).
   */
  readonly memoryMb: number;
}

/** Default limits: generous for runs that take about a millisecond. */
export const defaultLimits: RunLimits = { runMs: 5000, memoryMb: 1024 };

/** How a design ran away. */
export type RunawayKind = 'hung' | 'spinning' | 'real-timers' | 'memory' | 'crashed';

/** A runaway design: which run, what it did, how to replay the run. */
export interface Runaway {
  readonly kind: RunawayKind;
  readonly design: string;
  readonly profile: ExploreProfile;
  /** Round seed and index in the round of the run (`replay --seed --path`); -1: before any run. */
  readonly seed: number;
  readonly index: number;
  readonly message: string;
}

/** What one job ended with. */
export type JobOutcome =
  /** One report per exploration: the module's design, then each of `readings`. */
  | { readonly kind: 'report'; readonly reports: readonly DesignReport[] }
  | { readonly kind: 'runaway'; readonly runaway: Runaway }
  | { readonly kind: 'error'; readonly message: string };

/** A job that did not end with a report: why the exploration stopped. */
export type JobStop = Exclude<JobOutcome, { readonly kind: 'report' }>;

/**
 * Work for an exploration worker, one piece at a time: a chunk of a round or a shrink, of the
 * job's `exploration`-th exploration (jobExplorations order). A chunk stops early once the
 * worker's cancel cell no longer holds its `generation`.
 */
export type TaskMessage =
  | {
      readonly type: 'chunk';
      readonly id: number;
      readonly exploration: number;
      readonly generation: number;
      readonly task: ChunkTask;
    }
  | { readonly type: 'shrink'; readonly id: number; readonly exploration: number; readonly task: ShrinkTask };

/**
 * What an exploration worker starts from: its job and the progress cells the watchdog reads.
 * In `workerData`, or, for a worker started before its job was known (`prestartWorker`), as
 * its first message.
 */
export interface WorkerStart {
  readonly job: ExploreJob;
  readonly progress: SharedArrayBuffer;
}

/** What a worker answers a task with. */
export type TaskReply =
  | { readonly type: 'chunk'; readonly id: number; readonly result: ChunkResult }
  | { readonly type: 'shrink'; readonly id: number; readonly result: ShrinkResult };

/** Messages from a worker. */
export type WorkerMessage =
  /** The design is loaded: the job's explorations, in order, as data. */
  | { readonly type: 'ready'; readonly explorations: readonly Omit<ExplorationPlan, 'onProgress'>[] }
  | TaskReply
  | { readonly type: 'realTimers'; readonly count: number }
  | { readonly type: 'error'; readonly message: string };

/** Cells of the shared progress array (Int32Array over a SharedArrayBuffer). */
export const cell = {
  /** 0 loading, 1 in a run, 2 after a run (waiting for the event loop), 3 idle (between tasks). */
  state: 0,
  seed: 1,
  index: 2,
  /** Bumped on every change, so the watchdog sees progress. */
  stamp: 3,
  /** Written by the main thread: the generation of chunks still wanted. */
  cancel: 4,
  /** 1 while the worker shrinks a failing run (seed and index are that run's), else 0. */
  shrinking: 5,
  /**
   * MB the worker's isolate held after its last run: used heap plus external memory
   * (Buffers, ArrayBuffers), which its heap cap does not bound. Names the worker to end when
   * the process's resident memory is over its cap (workerHandle.ts).
   */
  footprintMb: 6,
} as const;

/** Bytes of the shared progress array. */
export const cellBytes = 4 * 7;

/** The command that replays a runaway's run (`python`: the check's `--python`): a reproduce line with the run's index as its path. Pure. */
export function runawayReplay(r: Runaway, python?: PythonVersion): string {
  return reproduceCommand(r.design, { seed: r.seed, path: String(r.index), profile: r.profile }, python);
}
