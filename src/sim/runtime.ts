/**
 * asyncio on simulated time: tasks, sleep, wait_for, Lock, Event and Queue, all on the
 * run's fake clock (CPython 3.11 Lib/asyncio; `wait_for` also as in 3.12).
 *
 * Steps: asyncio resumes one task per loop step. Here every resumption is a timer of the
 * clock owned by the task it resumes (a task's start, its sleep, its socket write, the +0 ms
 * step that a settled future schedules), and the run loop drains the microtasks of one
 * timer before it fires the next. So the code running now belongs to the owner of the last
 * timer (`SimClock.owner`), and a runtime wait started now is that task's: no async
 * context tracking is needed.
 *
 * Cancellation: `task.cancel()` cancels the future the task is suspended on, whatever await
 * it is at, and `CancelledError` is raised there in the task's next step; the task may
 * catch it. A task not suspended on a runtime future (not started yet, already woken, or
 * running: it cancelled itself) gets `mustCancel`, and `CancelledError` is raised at its next
 * runtime await, as asyncio's `_must_cancel`. Not tracked: code resumed by a plain promise
 * (not a runtime primitive or `task.finished`) that another step settled runs as that step's
 * code, so its later waits are not the task's and cancelling the task does not reach them.
 */
import type { Chooser } from './chooser.ts';
import { CancelledError, TimeoutError } from './errors.ts';
import { SimFuture } from './runtimeFuture.ts';
import { Event, Lock, Queue } from './runtimeSync.ts';
import { RuntimeTask, type TaskErrorHandler } from './runtimeTask.ts';
import type { SimClock } from './simClock.ts';
import type { PythonVersion, SimRuntime, SimTask } from './types.ts';

/** Most +0 ms hops a task start or a delivery may be deferred by (the chooser picks 0..2). */
export const maxHops = 2;

/** Items one design queue may hold; beyond it the run is aborted as a harness error. */
export const queueCapacity = 100_000;

/** The Python version the runtime models unless told otherwise. */
export const defaultPython: PythonVersion = '3.11';

export { RuntimeTask, SimFuture };
export type { TaskErrorHandler };

/**
 * The `SimRuntime` handed to designs (and used by the harness itself).
 *
 * @example
 * const runtime = new Runtime(clock, chooser, () => {});
 * runtime.spawn('worker', async () => { await runtime.sleep(10); });
 */
export class Runtime implements SimRuntime {
  readonly python: PythonVersion;
  private readonly clock: SimClock;
  private readonly chooser: Chooser;
  private readonly onTaskError: TaskErrorHandler;
  /** Every task spawned, in creation order. */
  readonly tasks: RuntimeTask<unknown>[] = [];

  constructor(clock: SimClock, chooser: Chooser, onTaskError: TaskErrorHandler, python = defaultPython) {
    this.clock = clock;
    this.chooser = chooser;
    this.onTaskError = onTaskError;
    this.python = python;
  }

  now(): number {
    return this.clock.now();
  }

  /** A promise that never settles: what every wait returns once the run was aborted. */
  never<T>(): Promise<T> {
    return new Promise<T>(() => undefined);
  }

  /** The task whose step is running (`asyncio.current_task`), or null outside any task. */
  running(): RuntimeTask<unknown> | null {
    const owner = this.clock.owner();
    return owner instanceof RuntimeTask && !owner.done() ? (owner as RuntimeTask<unknown>) : null;
  }

  /**
   * `await fut` from the running task (`Task.__step` / `__wakeup`): a done future returns
   * at once; otherwise the task resumes in a +0 ms step of its own once `fut` is done, or at
   * once when `fut` is settled by the task's own timer (its sleep, its write). Outside any
   * task the promise settles when `fut` does. Hangs for good once the run aborted.
   */
  awaitFuture<T>(fut: SimFuture<T>): Promise<T> {
    if (this.clock.aborted() !== null) return this.never();
    const task = this.running();
    if (fut.done()) {
      return fut.cancelled()
        ? Promise.reject(new CancelledError('future cancelled'))
        : Promise.resolve(fut.result());
    }
    return new Promise<T>((resolve, reject) => {
      let registering = true;
      const deliver = (): void => {
        if (task !== null) task.waitingOn = null;
        if (fut.cancelled() || (task !== null && task.takeMustCancel()))
          reject(new CancelledError(`task ${task?.name ?? '?'} cancelled`));
        else resolve(fut.result());
      };
      if (task === null) {
        fut.addDoneCallback(deliver);
        return;
      }
      task.waitingOn = fut as SimFuture<unknown>;
      fut.addDoneCallback(() => {
        if (!registering && this.clock.owner() === task) deliver();
        else this.clock.setTimer(`task:${task.name}`, 0, deliver, task);
      });
      // A cancel that found no future to cancel is thrown in at this await, a step later.
      if (task.takeMustCancel()) fut.cancel();
      registering = false;
    });
  }

  // asyncio.sleep: a call_later handle that sets the future, cancelled in `finally`. The
  // handle runs in one loop iteration and the task's __wakeup, which the future schedules
  // with call_soon, in the next (Lib/asyncio/tasks.py sleep, futures.py
  // __schedule_callbacks): the timer belongs to no task, so the task resumes a +0 ms step
  // later. sleep(0) is a bare yield (tasks.py __sleep0): one step, the task's own.
  sleep(ms: number): Promise<void> {
    if (this.clock.aborted() !== null) return this.never();
    const fut = new SimFuture<void>();
    const task = this.running();
    const owner = ms > 0 ? null : task;
    const id = this.clock.setTimer(timerName('sleep', task), ms, () => fut.setResult(undefined), owner);
    fut.addDoneCallback(() => this.clock.clearTimer(id));
    return this.awaitFuture(fut);
  }

  spawn(name: string, fn: () => Promise<unknown>): SimTask {
    // A task belongs to the connection of the task that spawned it (a connection's heartbeat
    // loop, its writer), as asyncio's tasks inherit their creator's context.
    return this.spawnTask(name, fn, this.running()?.conn ?? null, true);
  }

  /**
   * `spawn` with the connection the task belongs to (for the trace) and whether its
   * unhandled exception is reported (false when someone awaits `result`).
   */
  spawnTask<T>(name: string, fn: () => Promise<T>, conn: string | null, report: boolean): RuntimeTask<T> {
    this.clock.bump();
    const task = new RuntimeTask<T>(name, conn, this.clock, this);
    this.tasks.push(task as RuntimeTask<unknown>);
    if (this.clock.aborted() !== null) return task;
    task.schedule(this.chooser.choose('hop', maxHops), fn, report ? this.onTaskError : null);
    return task;
  }

  /** `asyncio.wait_for` of the runtime's Python version (see `waitForOn`). */
  waitFor<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T> {
    return this.waitForOn(this.python, fn, timeoutMs);
  }

  /**
   * `asyncio.wait_for` as `python` has it. 3.11 (Lib/asyncio/tasks.py `wait_for`): fn runs
   * as a new task, so it starts a turn later; on timeout it is cancelled and awaited, then
   * TimeoutError. 3.12 (`wait_for` over Lib/asyncio/timeouts.py `Timeout`): fn runs inline
   * in the calling task, and the timeout cancels the caller and turns that CancelledError
   * into TimeoutError. A timeout <= 0 raises TimeoutError on both without running fn.
   */
  waitForOn<T>(python: PythonVersion, fn: () => Promise<T>, timeoutMs: number): Promise<T> {
    // Once the run aborted every wait hangs, so a loop whose other awaits never suspend (a
    // get/put loop on a non-empty queue under 3.12) stops here instead of outliving its run.
    if (this.clock.aborted() !== null) return this.never();
    if (timeoutMs <= 0) return this.waitForExpired(fn);
    const task = this.running();
    if (python === '3.12' && task !== null) return this.waitFor312(task, fn, timeoutMs);
    return this.waitFor311(fn, timeoutMs);
  }

  // wait_for with timeout <= 0, the same in 3.11 and 3.12 (Lib/asyncio/tasks.py `wait_for`:
  // ensure_future, then _cancel_and_wait unless already done): the task is cancelled before
  // it starts, so the coroutine never runs, and the CancelledError becomes TimeoutError.
  private async waitForExpired<T>(fn: () => Promise<T>): Promise<T> {
    const inner = this.spawnTask('wait_for', fn, this.running()?.conn ?? null, false);
    await this.cancelAndWait(inner);
    if (!inner.wasCancelled()) return inner.outcomeValue();
    throw new TimeoutError('wait_for timed out (timeout <= 0)');
  }

  private async waitFor311<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T> {
    // ensure_future's task belongs to the caller's connection, as a spawned one does.
    const inner = this.spawnTask('wait_for', fn, this.running()?.conn ?? null, false);
    const waiter = new SimFuture<null>();
    const release = (): void => waiter.setResult(null);
    const timer = this.clock.setTimer(timerName('wait_for', this.running()), timeoutMs, release);
    inner.addDoneCallback(release);
    try {
      try {
        await this.awaitFuture(waiter);
      } catch (error) {
        if (!(error instanceof CancelledError)) throw error;
        if (inner.done()) return inner.outcomeValue();
        inner.removeDoneCallback(release);
        await this.cancelAndWait(inner);
        throw error;
      }
      if (inner.done()) return inner.outcomeValue();
      inner.removeDoneCallback(release);
      await this.cancelAndWait(inner);
      if (!inner.wasCancelled()) return inner.outcomeValue();
      throw new TimeoutError(`wait_for timed out after ${timeoutMs} ms`);
    } finally {
      this.clock.clearTimer(timer);
    }
  }

  // tasks._cancel_and_wait: cancel, then wait on a separate future so that this wait
  // itself stays cancellable.
  private async cancelAndWait<U>(inner: RuntimeTask<U>): Promise<void> {
    const waiter = new SimFuture<null>();
    const release = (): void => waiter.setResult(null);
    inner.addDoneCallback(release);
    try {
      inner.cancel();
      await this.awaitFuture(waiter);
    } finally {
      inner.removeDoneCallback(release);
    }
  }

  private async waitFor312<T>(
    task: RuntimeTask<unknown>,
    fn: () => Promise<T>,
    timeoutMs: number,
  ): Promise<T> {
    const cancelling = task.cancelling();
    let expiring = false;
    const timer = this.clock.setTimer(timerName('wait_for', task), timeoutMs, () => {
      expiring = true;
      task.cancel();
    });
    try {
      const value = await fn();
      if (expiring) task.uncancel();
      return value;
    } catch (error) {
      if (expiring && task.uncancel() <= cancelling && error instanceof CancelledError)
        throw new TimeoutError(`wait_for timed out after ${timeoutMs} ms`);
      throw error;
    } finally {
      this.clock.clearTimer(timer);
    }
  }

  /**
   * This runtime with `waitFor` of another Python version; everything else is shared.
   *
   * @example
   * const py312 = runtime.withPython('3.12');
   */
  withPython(python: PythonVersion): SimRuntime {
    return {
      python,
      now: () => this.now(),
      sleep: (ms) => this.sleep(ms),
      spawn: (name, fn) => this.spawn(name, fn),
      waitFor: (fn, timeoutMs) => this.waitForOn(python, fn, timeoutMs),
      lock: () => this.lock(),
      event: () => this.event(),
      queue: () => this.queue(),
    };
  }

  lock(): Lock {
    return new Lock(this, this.clock);
  }

  event(): Event {
    return new Event(this, this.clock);
  }

  queue<T>(): Queue<T> {
    return new Queue<T>(this, this.clock, queueCapacity, `a design queue exceeded ${queueCapacity} items`);
  }
}

/**
 * A runtime timer's name: `sleep:<conn>` for one armed by a task of connection `conn`, so a
 * deadline left pending after its connection closed is charged to it (P10). Pure.
 */
function timerName(kind: 'sleep' | 'wait_for', task: RuntimeTask<unknown> | null): string {
  return task?.conn === null || task === null ? kind : `${kind}:${task.conn}`;
}
