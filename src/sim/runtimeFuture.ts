/**
 * `asyncio.Future` of the simulated runtime: what a task awaits at every runtime wait
 * (sleep, Lock, Event, Queue, a socket read or write, wait_for). Settling a future only
 * marks it done and runs its callbacks; the task awaiting it resumes in a step of its own,
 * scheduled by `Runtime.await` (CPython 3.11 Lib/asyncio/futures.py, `Future.set_result`,
 * `Future.cancel`, `__schedule_callbacks`).
 */

/**
 * A one-shot result that a task awaits through `Runtime.await`.
 *
 * @example
 * const fut = new SimFuture<number>();
 * fut.addDoneCallback(() => console.log(fut.result()));
 * fut.setResult(3);
 */
export class SimFuture<T> {
  private state: 'pending' | 'finished' | 'cancelled' = 'pending';
  private value: T | undefined;
  private callbacks: (() => void)[] = [];

  /** True once a result was set or the future was cancelled (`Future.done`). */
  done(): boolean {
    return this.state !== 'pending';
  }

  /** True when `cancel()` settled it (`Future.cancelled`). */
  cancelled(): boolean {
    return this.state === 'cancelled';
  }

  /** The result; only meaningful once `done()` and not `cancelled()`. */
  result(): T {
    return this.value as T;
  }

  /** `Future.set_result`; a no-op once done (asyncio raises InvalidStateError; nobody relies on it here). */
  setResult(value: T): void {
    if (this.state !== 'pending') return;
    this.state = 'finished';
    this.value = value;
    this.runCallbacks();
  }

  /** `Future.cancel`: false when already done, as in asyncio. */
  cancel(): boolean {
    if (this.state !== 'pending') return false;
    this.state = 'cancelled';
    this.runCallbacks();
    return true;
  }

  /** `Future.add_done_callback`; runs at once when already done. */
  addDoneCallback(callback: () => void): void {
    if (this.state !== 'pending') callback();
    else this.callbacks.push(callback);
  }

  /** `Future.remove_done_callback`. */
  removeDoneCallback(callback: () => void): void {
    this.callbacks = this.callbacks.filter((c) => c !== callback);
  }

  // asyncio runs done callbacks with call_soon; here they run at once and the one that
  // resumes a task schedules that task's step itself, so the order of steps is asyncio's.
  private runCallbacks(): void {
    const callbacks = this.callbacks;
    this.callbacks = [];
    for (const callback of callbacks) callback();
  }
}
