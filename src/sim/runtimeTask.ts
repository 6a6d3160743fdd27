/**
 * A task of the simulated runtime (`asyncio.Task`, CPython 3.11 Lib/asyncio/tasks.py):
 * started on a later scheduler turn, cancellable at any runtime await, with a `result`
 * the harness reads. See runtime.ts for how steps and cancellation work.
 */
import { CancelledError } from './errors.ts';
import { SimFuture } from './runtimeFuture.ts';
import type { FutureAwaiter } from './runtimeSync.ts';
import type { SimClock } from './simClock.ts';
import type { SimTask } from './types.ts';

/** Called when a task ends with an exception nobody awaited. */
export type TaskErrorHandler = (task: RuntimeTask<unknown>, error: unknown) => void;

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

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
  /** Settles with the body's value or error, for the harness (a plain promise: not a runtime wait). */
  readonly result: Promise<T>;
  /** Hops the task's start was deferred by (for tests). */
  hops = 0;
  /** The future the task is suspended on (`Task._fut_waiter`), null while it runs. */
  waitingOn: SimFuture<unknown> | null = null;
  /**
   * `Task._must_cancel`: cancel() found no pending future to cancel (the task had not
   * started, was already woken, or is running and cancelled itself), so `CancelledError` is
   * raised at its next runtime await.
   */
  mustCancel = false;
  private state: 'pending' | 'running' | 'done' = 'pending';
  private endedCancelled = false;
  private cancelRequests = 0;
  private outcome: Outcome<T> | null = null;
  private doneCallbacks: (() => void)[] = [];
  private settle!: (outcome: Outcome<T>) => void;
  private readonly clock: SimClock;
  private readonly awaiter: FutureAwaiter;

  constructor(name: string, conn: string | null, clock: SimClock, awaiter: FutureAwaiter) {
    this.name = name;
    this.conn = conn;
    this.clock = clock;
    this.awaiter = awaiter;
    const settled = new Promise<Outcome<T>>((resolve) => {
      this.settle = resolve;
    });
    this.result = settled.then((o) => (o.ok ? o.value : Promise.reject(o.error)));
    // Awaiters may never look at `result`; an unobserved rejection must not crash Node.
    this.result.catch(() => undefined);
  }

  /**
   * Resolves once the task is done, whatever its outcome (`await asyncio.wait([task])`): a
   * runtime wait of the task reading it, which resumes in a step of its own.
   */
  get finished(): Promise<void> {
    const fut = new SimFuture<null>();
    this.addDoneCallback(() => fut.setResult(null));
    return this.awaiter.awaitFuture(fut).then(() => undefined);
  }

  /** `await task`: the task's value or error, once done (a runtime wait, like `finished`). */
  async join(): Promise<T> {
    await this.finished;
    return this.outcomeValue();
  }

  /** True once the body finished (`Task.done`). */
  done(): boolean {
    return this.state === 'done';
  }

  /** True when the task ended with `CancelledError` (`Task.cancelled`). */
  wasCancelled(): boolean {
    return this.endedCancelled;
  }

  /** `Task.cancelling`: cancel requests not yet taken back by `uncancel`. */
  cancelling(): number {
    return this.cancelRequests;
  }

  /** `Task.uncancel`: takes one cancel request back; returns the count left. */
  uncancel(): number {
    if (this.cancelRequests > 0) this.cancelRequests -= 1;
    return this.cancelRequests;
  }

  /**
   * `Task.cancel`: cancels the future the task is suspended on, so `CancelledError` is
   * raised at that await in the task's next step; otherwise sets `mustCancel`. False once
   * the task is done.
   */
  cancel(): boolean {
    if (this.state === 'done') return false;
    this.clock.bump();
    this.cancelRequests += 1;
    const waiting = this.waitingOn;
    if (this.state === 'running' && waiting !== null && waiting.cancel()) return true;
    this.mustCancel = true;
    return true;
  }

  /** Takes the pending `mustCancel`, as `Task.__step` does when it throws it in. */
  takeMustCancel(): boolean {
    const must = this.mustCancel;
    this.mustCancel = false;
    return must;
  }

  /** The value, or throws the error, of a done task (`Task.result`). */
  outcomeValue(): T {
    const outcome = this.outcome;
    if (outcome === null) throw new Error(`task ${this.name} is not done`);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /** `Task.add_done_callback`: `callback` runs on a later turn once the task is done (call_soon). */
  addDoneCallback(callback: () => void): void {
    if (this.state === 'done') this.clock.setTimer('call_soon', 0, callback);
    else this.doneCallbacks.push(callback);
  }

  /** `Task.remove_done_callback`. */
  removeDoneCallback(callback: () => void): void {
    this.doneCallbacks = this.doneCallbacks.filter((c) => c !== callback);
  }

  /** Internal: arm the start step (after `hops` extra +0 ms turns). */
  schedule(hops: number, body: () => Promise<T>, onError: TaskErrorHandler | null): void {
    this.hops = hops;
    const hop = (left: number): void => {
      this.clock.setTimer(
        `task:${this.name}`,
        0,
        () => (left > 0 ? hop(left - 1) : this.run(body, onError)),
        this,
      );
    };
    hop(hops);
  }

  // The start step. A task cancelled before it started ends here without running its body,
  // as asyncio throws CancelledError into a coroutine that never ran.
  private run(body: () => Promise<T>, onError: TaskErrorHandler | null): void {
    if (this.state !== 'pending') return;
    this.state = 'running';
    if (this.takeMustCancel()) {
      this.finish({ ok: false, error: new CancelledError(`task ${this.name} cancelled`) });
      return;
    }
    let promise: Promise<T>;
    try {
      promise = body();
    } catch (error) {
      promise = Promise.reject(error);
    }
    Promise.resolve(promise).then(
      (value) => this.finish({ ok: true, value }),
      (error: unknown) => {
        if (onError !== null && !(error instanceof CancelledError))
          onError(this as RuntimeTask<unknown>, error);
        this.finish({ ok: false, error });
      },
    );
  }

  private finish(outcome: Outcome<T>): void {
    if (this.state === 'done') return;
    this.state = 'done';
    this.waitingOn = null;
    this.endedCancelled = !outcome.ok && outcome.error instanceof CancelledError;
    this.outcome = outcome;
    this.clock.bump();
    this.settle(outcome);
    const callbacks = this.doneCallbacks;
    this.doneCallbacks = [];
    for (const callback of callbacks) this.clock.setTimer('call_soon', 0, callback);
  }
}
