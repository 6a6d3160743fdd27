/**
 * asyncio's Lock, Event and Queue on the simulated runtime, ported line by line from
 * CPython 3.11 (Lib/asyncio/locks.py `Lock`, `Event`; Lib/asyncio/queues.py `Queue`). Every
 * wait is a `SimFuture` awaited through the runtime, so a waiter woken by a release, a set
 * or a put resumes in a step of its own, and a cancelled waiter cleans up in its own step
 * exactly where CPython's `except`/`finally` clauses do.
 *
 * Once the run aborted, every wait hangs for good, also those asyncio completes without
 * suspending (a free lock, a set event, a non-empty queue, an unbounded put): a design loop
 * made only of those would otherwise go on spinning on microtasks after its run ended.
 */
import { SimFuture } from './runtimeFuture.ts';
import type { SimClock } from './simClock.ts';
import type { SimEvent, SimLock, SimQueue } from './types.ts';

/** A wait that never ends: what every primitive returns once the run was aborted. */
function hang<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

/** What the primitives need of the runtime: awaiting a future from the running task. */
export interface FutureAwaiter {
  awaitFuture<T>(fut: SimFuture<T>): Promise<T>;
}

/**
 * `asyncio.Lock` (3.11): FIFO, no barging while a woken waiter has not run yet.
 *
 * @example
 * const lock = new Lock(runtime, clock);
 * await lock.run(async () => { ... });
 */
export class Lock implements SimLock {
  private held = false;
  private readonly waiters: SimFuture<boolean>[] = [];
  private readonly runtime: FutureAwaiter;
  private readonly clock: SimClock;

  constructor(runtime: FutureAwaiter, clock: SimClock) {
    this.runtime = runtime;
    this.clock = clock;
  }

  locked(): boolean {
    return this.held;
  }

  // Lock.acquire: taken at once only when free and every waiter is cancelled.
  async acquire(): Promise<void> {
    this.clock.bump();
    if (this.clock.aborted() !== null) return hang();
    if (!this.held && this.waiters.every((w) => w.cancelled())) {
      this.held = true;
      return;
    }
    const fut = new SimFuture<boolean>();
    this.waiters.push(fut);
    try {
      try {
        await this.runtime.awaitFuture(fut);
      } finally {
        this.remove(fut);
      }
    } catch (error) {
      // Woken, then cancelled before it ran: hand the wake-up on (Lock.acquire `except`).
      if (!this.held) this.wakeUpFirst();
      throw error;
    }
    this.held = true;
  }

  // Lock.release: free at once; the first waiter takes it when it runs.
  release(): void {
    this.clock.bump();
    if (!this.held) throw new Error('Lock is not acquired.');
    this.held = false;
    this.wakeUpFirst();
  }

  /** `async with lock:` */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  // Lock._wake_up_first: a done first waiter will wake and either take the lock or, if it
  // was cancelled, call this again.
  private wakeUpFirst(): void {
    const first = this.waiters[0];
    if (first !== undefined && !first.done()) first.setResult(true);
  }

  private remove(fut: SimFuture<boolean>): void {
    const at = this.waiters.indexOf(fut);
    if (at >= 0) this.waiters.splice(at, 1);
  }
}

/**
 * `asyncio.Event` (3.11).
 *
 * @example
 * const ready = new Event(runtime, clock);
 * ready.set();
 */
export class Event implements SimEvent {
  private value = false;
  private readonly waiters: SimFuture<boolean>[] = [];
  private readonly runtime: FutureAwaiter;
  private readonly clock: SimClock;

  constructor(runtime: FutureAwaiter, clock: SimClock) {
    this.runtime = runtime;
    this.clock = clock;
  }

  isSet(): boolean {
    return this.value;
  }

  set(): void {
    this.clock.bump();
    if (this.value) return;
    this.value = true;
    for (const fut of [...this.waiters]) if (!fut.done()) fut.setResult(true);
  }

  async wait(): Promise<void> {
    this.clock.bump();
    if (this.clock.aborted() !== null) return hang();
    if (this.value) return;
    const fut = new SimFuture<boolean>();
    this.waiters.push(fut);
    try {
      await this.runtime.awaitFuture(fut);
    } finally {
      const at = this.waiters.indexOf(fut);
      if (at >= 0) this.waiters.splice(at, 1);
    }
  }
}

/**
 * An unbounded `asyncio.Queue` (3.11) whose size is capped: past `capacity` items the run is
 * aborted with `overflow` as the reason (a design that never drains is a harness error).
 *
 * @example
 * const queue = new Queue<number>(runtime, clock, 100_000, 'a design queue overflowed');
 * await queue.put(1);
 */
export class Queue<T> implements SimQueue<T> {
  private readonly items: T[] = [];
  private readonly getters: SimFuture<null>[] = [];
  private readonly runtime: FutureAwaiter;
  private readonly clock: SimClock;
  private readonly capacity: number;
  private readonly overflow: string;

  constructor(runtime: FutureAwaiter, clock: SimClock, capacity: number, overflow: string) {
    this.runtime = runtime;
    this.clock = clock;
    this.capacity = capacity;
    this.overflow = overflow;
  }

  size(): number {
    return this.items.length;
  }

  /** Queue.put on an unbounded queue: put_nowait, no suspension. */
  put(item: T): Promise<void> {
    if (this.clock.aborted() !== null) return hang();
    this.putNowait(item);
    return Promise.resolve();
  }

  // Queue.put_nowait: the item goes into the queue; a woken getter takes it when it runs,
  // and another get() may take it first.
  putNowait(item: T): void {
    this.clock.bump();
    if (this.items.length >= this.capacity) {
      this.clock.abort(this.overflow);
      return;
    }
    this.items.push(item);
    this.wakeupNext();
  }

  // Queue.get: wait while empty; a getter woken and then cancelled leaves the item and
  // wakes the next getter.
  async get(): Promise<T> {
    this.clock.bump();
    if (this.clock.aborted() !== null) return hang();
    while (this.items.length === 0) {
      const getter = new SimFuture<null>();
      this.getters.push(getter);
      try {
        await this.runtime.awaitFuture(getter);
      } catch (error) {
        getter.cancel();
        const at = this.getters.indexOf(getter);
        if (at >= 0) this.getters.splice(at, 1);
        if (this.items.length > 0 && !getter.cancelled()) this.wakeupNext();
        throw error;
      }
    }
    return this.items.shift() as T;
  }

  // Queue._wakeup_next: the first getter not already done.
  private wakeupNext(): void {
    for (;;) {
      const getter = this.getters.shift();
      if (getter === undefined) return;
      if (!getter.done()) {
        getter.setResult(null);
        return;
      }
    }
  }
}
