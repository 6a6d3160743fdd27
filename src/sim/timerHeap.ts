/**
 * A binary min-heap of one run's timers, ordered by due time, then by creation (FIFO among
 * timers due at the same ms). Cancelled timers stay in the heap until they reach the top,
 * where `peek` and `pop` drop them.
 */

/** One scheduled timer. `cancelled` is set by `SimClock.clearTimer`. */
export interface SimTimer {
  /** Creation order: also the FIFO tie-break. */
  readonly id: number;
  readonly name: string;
  readonly callAt: number;
  readonly callback: () => void;
  readonly owner: object | null;
  /** The callback is synchronous and settles no promise: nothing to drain after it. */
  readonly sync: boolean;
  cancelled: boolean;
}

function before(a: SimTimer, b: SimTimer): boolean {
  return a.callAt < b.callAt || (a.callAt === b.callAt && a.id < b.id);
}

/**
 * @example
 * const heap = new TimerHeap();
 * heap.push(timer);
 * heap.pop(); // the earliest live timer, or undefined
 */
export class TimerHeap {
  private readonly items: SimTimer[] = [];

  /** Adds a timer. O(log n). */
  push(timer: SimTimer): void {
    const items = this.items;
    let k = items.length;
    items.push(timer);
    while (k > 0) {
      const parent = (k - 1) >> 1;
      const above = items[parent] as SimTimer;
      if (!before(timer, above)) break;
      items[k] = above;
      k = parent;
    }
    items[k] = timer;
  }

  /** The earliest live timer, left in place; undefined when none. */
  peek(): SimTimer | undefined {
    this.dropCancelled();
    return this.items[0];
  }

  /** Removes and returns the earliest live timer; undefined when none. O(log n). */
  pop(): SimTimer | undefined {
    this.dropCancelled();
    return this.take();
  }

  private dropCancelled(): void {
    while (this.items.length > 0 && (this.items[0] as SimTimer).cancelled) this.take();
  }

  private take(): SimTimer | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    const n = items.length;
    let k = 0;
    for (;;) {
      const left = 2 * k + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(items[right] as SimTimer, items[left] as SimTimer) ? right : left;
      const below = items[child] as SimTimer;
      if (!before(below, last)) break;
      items[k] = below;
      k = child;
    }
    items[k] = last;
    return top;
  }
}
