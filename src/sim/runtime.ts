/**
 * asyncio on simulated time: tasks, sleep, wait_for, Lock, Event and Queue, all on the
 * run's fake clock. A task starts on a later scheduler turn (a +0 ms timer), plus the extra
 * +0 ms hops the chooser asks for, so same-time interleavings are part of the run's data.
 *
 * Cancellation: JS cannot raise into an arbitrary suspended await, so the runtime tracks
 * the wait a task starts in its first synchronous segment (the common `wait_for(queue.get())`,
 * `wait_for(websocket.accept())`, `wait_for(authenticate())` shapes). Cancelling the task
 * withdraws that wait (a queue item or an inbound message is not consumed by a dead task)
 * and raises `CancelledError` there, as asyncio does. A wait started after the task's first
 * resumption is not tracked: the task then ends at once for its awaiters while its body runs
 * on in the background with errors ignored (approximated). A task cancelled before it
 * started never runs.
 */
import type { Chooser } from './chooser.ts';
import { CancelledError, TimeoutError } from './errors.ts';
import { RuntimeTask, type PendingWait, type TaskErrorHandler } from './runtimeTask.ts';
import type { SimClock } from './simClock.ts';
import type { SimEvent, SimLock, SimQueue, SimRuntime, SimTask } from './types.ts';

/** Most +0 ms hops a task start or a delivery may be deferred by (the chooser picks 0..2). */
export const maxHops = 2;

/** Items one design queue may hold; beyond it the run is aborted as a harness error. */
export const queueCapacity = 100_000;

export { RuntimeTask };
export type { PendingWait, TaskErrorHandler };

/**
 * The `SimRuntime` handed to designs (and used by the harness itself).
 *
 * @example
 * const runtime = new Runtime(clock, chooser, () => {});
 * runtime.spawn('worker', async () => { await runtime.sleep(10); });
 */
export class Runtime implements SimRuntime {
  private readonly clock: SimClock;
  private readonly chooser: Chooser;
  private readonly onTaskError: TaskErrorHandler;
  /** Every task spawned, in creation order. */
  readonly tasks: RuntimeTask<unknown>[] = [];
  /** The task whose first synchronous segment is running, if any. */
  private current: RuntimeTask<unknown> | null = null;
  private readonly setCurrent = (task: RuntimeTask<unknown> | null): void => {
    this.current = task;
  };

  constructor(clock: SimClock, chooser: Chooser, onTaskError: TaskErrorHandler) {
    this.clock = clock;
    this.chooser = chooser;
    this.onTaskError = onTaskError;
  }

  now(): number {
    return this.clock.now();
  }

  /** A promise that never settles: what every wait returns once the run was aborted. */
  never<T>(): Promise<T> {
    return new Promise<T>(() => undefined);
  }

  /**
   * A wait the current task can be cancelled out of: `register` arms the waiter with a
   * resolve callback and returns how to withdraw it. Hangs for good once the run aborted.
   */
  wait<T>(register: (resolve: (value: T) => void) => () => void): Promise<T> {
    if (this.clock.aborted() !== null) return this.never();
    const task = this.current;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const entry: PendingWait = {
        cancel: () => {
          if (settled) return;
          settled = true;
          withdraw();
          reject(new CancelledError(`task ${task?.name ?? '?'} cancelled while waiting`));
        },
      };
      const withdraw = register((value) => {
        if (settled) return;
        settled = true;
        if (task !== null && task.pendingWait === entry) task.pendingWait = null;
        resolve(value);
      });
      if (task !== null && !settled) task.pendingWait = entry;
    });
  }

  sleep(ms: number): Promise<void> {
    return this.wait<void>((resolve) => {
      const id = this.clock.setTimer('sleep', ms, () => resolve());
      return () => this.clock.clearTimer(id);
    });
  }

  spawn(name: string, fn: () => Promise<unknown>): SimTask {
    return this.spawnTask(name, fn, null, true);
  }

  /**
   * `spawn` with the connection the task belongs to (for the trace) and whether its
   * unhandled exception is reported (false when someone awaits `result`).
   */
  spawnTask<T>(name: string, fn: () => Promise<T>, conn: string | null, report: boolean): RuntimeTask<T> {
    this.clock.bump();
    const task = new RuntimeTask<T>(name, conn, this.clock);
    this.tasks.push(task as RuntimeTask<unknown>);
    if (this.clock.aborted() !== null) return task;
    task.schedule(this.chooser.choose('hop', maxHops), fn, report ? this.onTaskError : null, this.setCurrent);
    return task;
  }

  waitFor<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T> {
    const task = this.spawnTask('wait_for', fn, null, false);
    return new Promise<T>((resolve, reject) => {
      const timer = this.clock.setTimer('wait_for', timeoutMs, () => {
        task.cancel();
        reject(new TimeoutError(`wait_for timed out after ${timeoutMs} ms`));
      });
      task.result.then(
        (value) => {
          this.clock.clearTimer(timer);
          resolve(value);
        },
        (error: unknown) => {
          this.clock.clearTimer(timer);
          reject(error);
        },
      );
    });
  }

  lock(): SimLock {
    const clock = this.clock;
    const waiters: (() => void)[] = [];
    let held = false;
    const acquire = (): Promise<void> =>
      this.wait<void>((resolve) => {
        const wake = (): void => resolve();
        waiters.push(wake);
        return () => {
          const at = waiters.indexOf(wake);
          if (at >= 0) waiters.splice(at, 1);
        };
      });
    const release = (): void => {
      clock.bump();
      const next = waiters.shift();
      // Direct hand-off keeps asyncio.Lock's FIFO: a newcomer never barges past a waiter.
      // The waiter wakes on a later turn, as an asyncio future's callback does, so the
      // releasing task runs on to its next await first.
      if (next === undefined) held = false;
      else clock.setTimer('lock', 0, next);
    };
    return {
      locked: () => held,
      run: async <T>(fn: () => Promise<T>): Promise<T> => {
        clock.bump();
        if (held) await acquire();
        else held = true;
        try {
          return await fn();
        } finally {
          release();
        }
      },
    };
  }

  event(): SimEvent {
    const clock = this.clock;
    let isSet = false;
    let waiters: (() => void)[] = [];
    const wait = (): Promise<void> =>
      this.wait<void>((resolve) => {
        const wake = (): void => resolve();
        waiters.push(wake);
        return () => {
          waiters = waiters.filter((w) => w !== wake);
        };
      });
    return {
      isSet: () => isSet,
      set: () => {
        clock.bump();
        if (isSet) return;
        isSet = true;
        const woken = waiters;
        waiters = [];
        for (const wake of woken) wake();
      },
      wait: () => {
        clock.bump();
        if (isSet) return Promise.resolve();
        return wait();
      },
    };
  }

  queue<T>(): SimQueue<T> {
    const clock = this.clock;
    const items: T[] = [];
    const getters: ((item: T) => void)[] = [];
    return {
      size: () => items.length,
      put: (item: T) => {
        clock.bump();
        const getter = getters.shift();
        if (getter !== undefined) getter(item);
        else if (items.length >= queueCapacity) clock.abort(`a design queue exceeded ${queueCapacity} items`);
        else items.push(item);
        return Promise.resolve();
      },
      get: () => {
        clock.bump();
        if (items.length > 0) return Promise.resolve(items.shift() as T);
        return this.wait<T>((resolve) => {
          getters.push(resolve);
          // A cancelled getter must not swallow the next item (asyncio.Queue skips it too).
          return () => {
            const at = getters.indexOf(resolve);
            if (at >= 0) getters.splice(at, 1);
          };
        });
      },
    };
  }
}
