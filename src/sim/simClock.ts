/**
 * The private fake clock of one run, its named timers, and `quiesce()`: the way the run
 * loop lets every ready microtask finish before simulated time moves on, without ever
 * yielding to a real macrotask (which would cost ~1 ms and break byte-for-byte replay).
 */
import FakeTimers from '@sinonjs/fake-timers';

/**
 * Consecutive microtask turns without activity after which the system counts as idle.
 * Activity is bumped by every socket call, runtime primitive, timer and trace write. The
 * longest activity-free gap measured over the bundled designs (reference, naive, seeds
 * 000-004, lan and hostile workloads) was 4 turns; 32 gives 8x headroom for designs with
 * deeper await chains while keeping a clock step to a few microseconds.
 */
export const quietTurns = 32;

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

interface TimerInfo {
  readonly name: string;
  readonly callAt: number;
}

/**
 * One run's clock. Never installs itself globally: the fake clock is private.
 *
 * @example
 * const clock = new SimClock();
 * clock.setTimer('tick', 5, () => {});
 * clock.fireNext(); // clock.now() === 5
 */
export class SimClock {
  private readonly clock = FakeTimers.createClock(0);
  private readonly live = new Map<number, TimerInfo>();
  private activityCount = 0;
  private fired: (() => void) | null = null;
  private firedOwner: object | null = null;
  private stepOwner: object | null = null;
  private firedAtMs = -1;
  private firedThisMs = 0;
  private abortReason: string | null = null;

  /** Simulated milliseconds since the run started. */
  now(): number {
    return this.clock.now;
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
    this.bump();
    const delay = Math.max(0, Math.trunc(ms));
    const id = this.clock.setTimeout(() => {
      this.live.delete(id);
      this.fired = callback;
      this.firedOwner = owner;
    }, delay) as unknown as number;
    this.live.set(id, { name, callAt: this.clock.now + delay });
    return id;
  }

  /** Cancels a timer; unknown or fired ids are ignored. */
  clearTimer(id: number): void {
    if (!this.live.delete(id)) return;
    this.bump();
    this.clock.clearTimeout(id);
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

  /** Due time of the earliest timer, or null when none is scheduled. */
  nextDue(): number | null {
    let due: number | null = null;
    for (const timer of this.live.values()) if (due === null || timer.callAt < due) due = timer.callAt;
    return due;
  }

  /**
   * Fires the earliest timer (moving simulated time to it). The callback runs after
   * `clock.next()` returned: inside it fake-timers turns a 0 ms delay into 1 ms (the
   * browser clamp), and a +0 ms hop must stay at the same simulated ms.
   */
  fireNext(): void {
    this.fired = null;
    this.clock.next();
    const callback = this.fired as (() => void) | null;
    this.fired = null;
    this.stepOwner = this.firedOwner;
    this.firedOwner = null;
    this.bump();
    if (this.clock.now !== this.firedAtMs) {
      this.firedAtMs = this.clock.now;
      this.firedThisMs = 0;
    }
    this.firedThisMs += 1;
    if (this.firedThisMs > sameMsTimerLimit) {
      this.abort(
        `livelock: more than ${sameMsTimerLimit} timers fired at ${this.clock.now} ms without time advancing`,
      );
    }
    if (callback === null || this.abortReason !== null) return;
    callback();
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
   * Drains the microtask queue: resolves once `quietTurns` consecutive turns passed with no
   * activity. Returns false (and aborts the run) when the design livelocks.
   */
  async quiesce(): Promise<boolean> {
    let seen = this.activityCount;
    let quiet = 0;
    for (let turn = 0; turn < livelockTurns; turn++) {
      await null;
      if (this.activityCount !== seen) {
        seen = this.activityCount;
        quiet = 0;
      } else {
        quiet += 1;
        if (quiet >= quietTurns) {
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
