/**
 * The private clock of one run, its named timers, and `quiesce()`: the way the run loop
 * lets every ready microtask finish before simulated time moves on, without ever yielding
 * to a real macrotask (which would cost ~1 ms and break byte-for-byte replay).
 *
 * Timers live in a binary heap ordered by due time, then creation (FIFO among equal
 * times) - the order `@sinonjs/fake-timers` fires them in, including its delay rules (a
 * non-finite delay is 0, one above 2^31 - 1 is 1). The heap replaced a fake-timers clock
 * per run: its timer bookkeeping (ids, Date and Intl set-up per clock) was a sixth of a
 * lan run's CPU (bench/sim.bench.ts).
 */
import { TimerHeap, type SimTimer } from './timerHeap.ts';

/**
 * Consecutive microtask turns without activity after which the system counts as idle, when
 * a design's own async code runs (handler designs). Activity is bumped by every socket call,
 * runtime primitive, timer and trace write. The longest activity-free gap measured over the
 * bundled handler designs (seeds, planted and correct designs, all five profiles) is 6
 * turns; 32 leaves room for designs with deeper await chains while keeping a clock step to
 * a few microseconds.
 */
export const quietTurns = 32;

/**
 * The same for reducer designs, whose code is synchronous: every microtask is the
 * harness's own (socket, network, driver), whose longest activity-free gap is 5 turns
 * (a test keeps it at most half of this). A lan reference run quiesces about 57 times.
 */
export const harnessQuietTurns = 12;

/**
 * Microtask turns one `quiesce()` may take before the run is declared livelocked (a design
 * spinning on a failing call in a loop, never letting time advance). The run is then
 * aborted instead of hanging.
 */
export const livelockTurns = 100_000;

/**
 * Timers that may fire at one simulated ms before the run is declared livelocked: a task
 * re-arming +0 ms work forever (retrying a failed send through a queue, say) never lets
 * time advance. Generated workloads fire well under a thousand per ms.
 */
export const sameMsTimerLimit = 2_000;

/** Awaited once per quiesce turn. */
const settled = Promise.resolve();

/** Largest delay a timer keeps; a longer one fires after 1 ms (setTimeout's rule). */
const maxTimeoutMs = 2 ** 31 - 1;

/**
 * One run's clock. Never installs itself globally: the fake clock is private.
 *
 * @example
 * const clock = new SimClock();
 * clock.setTimer('tick', 5, () => {});
 * clock.fireNext(); // clock.now() === 5
 */
export class SimClock {
  private readonly quietLimit: number;
  private longestGap = 0;
  private nowMs = 0;
  private readonly heap = new TimerHeap();
  private readonly live = new Map<number, SimTimer>();
  private nextId = 1;
  private activityCount = 0;
  private stepOwner: object | null = null;
  private firedAtMs = -1;
  private firedThisMs = 0;
  private lastSync = false;
  private abortReason: string | null = null;

  /** `idleAfter`: quiet turns after which `quiesce()` counts the system as idle. */
  constructor(idleAfter: number = quietTurns) {
    this.quietLimit = idleAfter;
  }

  /** The longest run of quiet turns after which activity resumed, over every `quiesce()`. */
  longestQuietGap(): number {
    return this.longestGap;
  }

  /** Simulated milliseconds since the run started. */
  now(): number {
    return this.nowMs;
  }

  /** Records that something happened, so `quiesce()` keeps draining. */
  bump(): void {
    this.activityCount += 1;
  }

  /**
   * Schedules `callback` in `ms` simulated ms (FIFO among equal times); returns its id.
   * `owner` is the task whose step the callback is (see `owner()`), null for the harness.
   */
  setTimer(name: string, ms: number, callback: () => void, owner: object | null = null): number {
    return this.schedule(name, ms, callback, owner, false);
  }

  /**
   * Schedules a harness callback that is synchronous and settles no promise (it starts no
   * async work, resolves no future, calls no design code): the run loop then fires the next
   * timer without draining the microtask queue, which the callback left empty (see
   * `firedSync()`). A lan run's frames towards the browser are such timers.
   */
  setSyncTimer(name: string, ms: number, callback: () => void): number {
    return this.schedule(name, ms, callback, null, true);
  }

  /** Whether the timer fired last was a `setSyncTimer` one. */
  firedSync(): boolean {
    return this.lastSync;
  }

  private schedule(
    name: string,
    ms: number,
    callback: () => void,
    owner: object | null,
    sync: boolean,
  ): number {
    this.bump();
    const trunc = Math.trunc(ms);
    const delay = !Number.isFinite(trunc) ? 0 : trunc > maxTimeoutMs ? 1 : Math.max(0, trunc);
    const id = this.nextId++;
    const timer: SimTimer = { id, name, callAt: this.nowMs + delay, callback, owner, sync, cancelled: false };
    this.live.set(id, timer);
    this.heap.push(timer);
    return id;
  }

  /** Cancels a timer; unknown or fired ids are ignored. */
  clearTimer(id: number): void {
    const timer = this.live.get(id);
    if (timer === undefined) return;
    this.live.delete(id);
    timer.cancelled = true;
    this.bump();
  }

  /**
   * The owner of the timer that fired last: the task whose step is running. A step lasts
   * from its timer's callback until the next timer fires (the run loop drains the microtasks
   * in between), so code running now belongs to this task. Null outside any task.
   */
  owner(): object | null {
    return this.stepOwner;
  }

  /** Number of scheduled timers. */
  pendingCount(): number {
    return this.live.size;
  }

  /** Names of scheduled timers, sorted, for `harness/timersPending`. */
  pendingNames(): string[] {
    return [...this.live.values()].map((timer) => timer.name).sort();
  }

  /** Whether every scheduled timer's name satisfies `test` (no sort, no copy). */
  everyPending(test: (name: string) => boolean): boolean {
    for (const timer of this.live.values()) if (!test(timer.name)) return false;
    return true;
  }

  /** Due time of the earliest timer, or null when none is scheduled. */
  nextDue(): number | null {
    return this.heap.peek()?.callAt ?? null;
  }

  /** Name of the earliest timer, or null when none is scheduled. */
  nextName(): string | null {
    return this.heap.peek()?.name ?? null;
  }

  /** Fires the earliest timer (moving simulated time to it); does nothing when none is left. */
  fireNext(): void {
    const timer = this.heap.pop();
    if (timer !== undefined) {
      this.live.delete(timer.id);
      this.nowMs = timer.callAt;
    }
    this.stepOwner = timer?.owner ?? null;
    this.lastSync = timer?.sync ?? false;
    this.bump();
    if (this.nowMs !== this.firedAtMs) {
      this.firedAtMs = this.nowMs;
      this.firedThisMs = 0;
    }
    this.firedThisMs += 1;
    if (this.firedThisMs > sameMsTimerLimit) {
      this.abort(
        `livelock: more than ${sameMsTimerLimit} timers fired at ${this.nowMs} ms without time advancing`,
      );
    }
    if (timer === undefined || this.abortReason !== null) return;
    timer.callback();
  }

  /** Stops the run: no timer callback runs any more and `aborted()` reports why. */
  abort(reason: string): void {
    if (this.abortReason === null) this.abortReason = reason;
  }

  /** Why the run was aborted, or null. */
  aborted(): string | null {
    return this.abortReason;
  }

  /**
   * Drains the microtask queue: resolves once `idleAfter` consecutive turns passed with no
   * activity. Resolves false (and aborts the run) when the design livelocks. A turn awaits
   * one shared settled promise: one job per turn, no promise allocated (`await null` makes
   * one per turn; `queueMicrotask` costs twice as much in Node, through async hooks).
   */
  async quiesce(): Promise<boolean> {
    let seen = this.activityCount;
    let quiet = 0;
    for (let turn = 0; turn < livelockTurns; turn++) {
      await settled;
      if (this.activityCount !== seen) {
        seen = this.activityCount;
        if (quiet > this.longestGap) this.longestGap = quiet;
        quiet = 0;
      } else {
        quiet += 1;
        if (quiet >= this.quietLimit) {
          // Every microtask of the step has run: the step, and its owner's turn, is over.
          this.stepOwner = null;
          return true;
        }
      }
    }
    this.abort(
      `livelock: ${this.stepName()} kept the microtask queue busy at ${this.now()} ms (a loop none of whose awaits suspends, so time cannot advance)`,
    );
    return false;
  }

  // The running step's task for an abort message: `task <name> of <conn>` (a runtime task
  // has both), so the message names the loop.
  private stepName(): string {
    const owner = this.stepOwner as { readonly name?: unknown; readonly conn?: unknown } | null;
    if (typeof owner?.name !== 'string') return 'a task';
    return `task ${owner.name}${typeof owner.conn === 'string' ? ` of ${owner.conn}` : ''}`;
  }
}
