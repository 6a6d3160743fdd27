/**
 * A task of the simulated runtime (asyncio.Task): started on a later scheduler turn,
 * cancellable, with a `result` its awaiters read. See runtime.ts for what cancellation
 * emulates.
 */
import { CancelledError } from './errors.ts';
import type { SimClock } from './simClock.ts';
import type { SimTask } from './types.ts';

/** A wait a task is suspended on, which cancelling the task withdraws. */
export interface PendingWait {
  /** Removes the waiter and rejects the wait with `CancelledError`; no-op once settled. */
  cancel(): void;
}

/** Called when a task ends with an exception nobody awaited. */
export type TaskErrorHandler = (task: RuntimeTask<unknown>, error: unknown) => void;

/**
 * A task of the simulated runtime; `result` settles with the body's value or error.
 *
 * @example
 * const task = runtime.spawnTask('worker', async () => 42, null, false);
 * await task.result; // 42, once the clock ran its start turn
 */
export class RuntimeTask<T> implements SimTask {
  readonly name: string;
  readonly conn: string | null;
  readonly finished: Promise<void>;
  readonly result: Promise<T>;
  /** Hops the task's start was deferred by (for tests). */
  hops = 0;
  /** The tracked wait the task is suspended on, if any (see the file comment). */
  pendingWait: PendingWait | null = null;
  private state: 'pending' | 'running' | 'done' = 'pending';
  private cancelled = false;
  private startTimer: number | null = null;
  private settle!: (outcome: { ok: true; value: T } | { ok: false; error: unknown }) => void;
  private readonly clock: SimClock;

  constructor(name: string, conn: string | null, clock: SimClock) {
    this.name = name;
    this.conn = conn;
    this.clock = clock;
    const outcome = new Promise<{ ok: true; value: T } | { ok: false; error: unknown }>((resolve) => {
      this.settle = resolve;
    });
    this.result = outcome.then((o) => (o.ok ? o.value : Promise.reject(o.error)));
    // Awaiters may never look at `result`; an unobserved rejection must not crash Node.
    this.result.catch(() => undefined);
    this.finished = outcome.then(() => undefined);
  }

  /** True once the body finished or the task was cancelled. */
  done(): boolean {
    return this.state === 'done';
  }

  /** True when `cancel()` ended the task. */
  wasCancelled(): boolean {
    return this.cancelled;
  }

  /** `task.cancel()`: see the file comment for what is approximated. */
  cancel(): void {
    if (this.state === 'done') return;
    this.clock.bump();
    this.cancelled = true;
    if (this.startTimer !== null) this.clock.clearTimer(this.startTimer);
    const wait = this.pendingWait;
    this.pendingWait = null;
    wait?.cancel();
    this.finish({ ok: false, error: new CancelledError(`task ${this.name} cancelled`) });
  }

  /** Internal: arm the start timer (after `hops` extra +0 ms turns). */
  schedule(
    hops: number,
    body: () => Promise<T>,
    onError: TaskErrorHandler | null,
    setCurrent: (task: RuntimeTask<unknown> | null) => void,
  ): void {
    this.hops = hops;
    const hop = (left: number): void => {
      this.startTimer = this.clock.setTimer(`task:${this.name}`, 0, () => {
        this.startTimer = null;
        if (left > 0) hop(left - 1);
        else this.run(body, onError, setCurrent);
      });
    };
    hop(hops);
  }

  private run(
    body: () => Promise<T>,
    onError: TaskErrorHandler | null,
    setCurrent: (task: RuntimeTask<unknown> | null) => void,
  ): void {
    if (this.state !== 'pending') return;
    this.state = 'running';
    let promise: Promise<T>;
    setCurrent(this as RuntimeTask<unknown>);
    try {
      promise = body();
    } catch (error) {
      promise = Promise.reject(error);
    } finally {
      setCurrent(null);
    }
    Promise.resolve(promise).then(
      (value) => this.finish({ ok: true, value }),
      (error: unknown) => {
        if (this.state === 'done') return;
        if (onError !== null && !(error instanceof CancelledError))
          onError(this as RuntimeTask<unknown>, error);
        this.finish({ ok: false, error });
      },
    );
  }

  private finish(outcome: { ok: true; value: T } | { ok: false; error: unknown }): void {
    if (this.state === 'done') return;
    this.state = 'done';
    this.clock.bump();
    this.settle(outcome);
  }
}
