/**
 * `heldEvents`: the events a design holds on each connection, counted from the trace alone
 * (SPEC sections 5 and 7, P9 and P15), never from what the design reports about itself.
 *
 * An event emitted to a connection is *in the design's hands* from its `workload/emit` until
 * it leaves them: the first data frame carrying it is handed to the socket (`app/send`
 * without error, or `net/wire`), or it gets a final outcome that is not a delivery (a
 * reducer's `design/outcome` dropped, refused or undeliverable; a handler's emit returning
 * false or throwing). A handler design's broadcast (`workload/broadcast`, one id for every
 * connection, no outcome) is in its hands on each connection whose wire later carries it.
 *
 * - P9 bounds the count in hand by the design's capacity (`run.config.capacity`), plus, for a
 *   reducer design, the core's send window (`maxInFlight` frames, each of one event or of a
 *   batch, and an open batch): the core hands those to the driver as `send` effects, which
 *   the driver writes one after another, so they are on their way to the socket but not in
 *   the trace yet. The count is judged each time simulated time moves on, and at the end:
 *   within one instant a design answers a burst (refuses a newcomer, drops its oldest), and
 *   what it still has in hand once time moves on, it holds, whether it said yes to its
 *   caller or keeps the caller's emit waiting.
 * - P15 asks, for each `dropped(overflow)` / `refused(backpressure)` outcome and each handler
 *   emit that returned false, how many other events the design had in hand at that moment:
 *   the buffer rules only apply once that is at least the capacity.
 *
 * A connection is judged until it closes (the trace facts' `closedAt`, connectionFacts.ts): after that, events
 * still held are lost or undeliverable, which P7 judges.
 */
import type { LifecycleConfig } from '../core/types.ts';
import type { TraceEntry } from '../trace/entry.ts';
import type { RunResult, TraceRecord } from '../trace/types.ts';
import { isDataSend, isDataWire } from './frames.ts';
import type { DataSend, DataWire } from './frames.ts';

/** What `heldEvents` reads of the whole trace's facts (TraceFacts). */
export interface HeldTraceFacts {
  readonly closedAt: ReadonlyMap<string, number>;
  readonly firstDelivery: ReadonlyMap<string, ReadonlyMap<string, number>>;
  eventIdsOf(entry: DataWire | DataSend): readonly string[];
}

/**
 * One item of the log `heldEvents` reads: an entry it reads, or the first entry of a new
 * instant when the union does not know its kind (knownEntry.ts), where only its time counts.
 */
export type HeldLogItem = TraceEntry | { readonly instant: TraceRecord };

/** Map key of one event on one connection (a broadcast event has one id on many connections). Pure. */
export function deliveryKey(conn: string, eventId: string): string {
  return `${conn}\u0000${eventId}`;
}

/** One moment a connection held more events than its bound. */
export interface Overheld {
  readonly conn: string;
  readonly count: number;
  readonly bound: number;
  /** The entry at which the count was judged (the first one of a later instant, or the last). */
  readonly entry: TraceRecord;
}

/** What `heldEvents` found in one trace. */
export interface HeldFacts {
  /** Events taken in hand on connections still open: P9's coverage. */
  readonly taken: number;
  /** Per connection, the first moment its count in hand exceeded the bound. */
  readonly overheld: readonly Overheld[];
  /**
   * Per `deliveryKey(conn, eventId)` of an event refused, dropped or returned false: the
   * other events in the design's hands on that connection at that moment.
   */
  readonly othersInHand: ReadonlyMap<string, number>;
}

/**
 * The bound on events in hand: the capacity, plus the core's send window for a reducer
 * design (`maxInFlight` frames of one event, or of a batch, and an open batch). Pure.
 *
 * For example 12 for the default config of a reducer design.
 */
function heldBound(config: LifecycleConfig, kind: 'reducer' | 'handler'): number {
  if (kind === 'handler') return config.capacity;
  const perFrame = config.batching === null ? 1 : config.batching.size;
  const openBatch = config.batching === null ? 0 : config.batching.size;
  return config.capacity + config.maxInFlight * perFrame + openBatch;
}

/**
 * Whether `heldEvents` reads the entry: emits, broadcasts, emit results, outcomes, and data
 * frames handed to the socket or on the wire. Pure.
 */
export function readsHeld(entry: TraceEntry): boolean {
  return (
    entry.actor === 'workload' ||
    (entry.actor === 'design' && entry.action === 'outcome') ||
    isDataSend(entry) ||
    isDataWire(entry)
  );
}

/**
 * The `HeldFacts` of a run, from `log`: the entries of its trace that `readsHeld`, and the
 * first entry of each new instant (where the count is judged), in trace order; `facts` are
 * the whole trace's (TraceFacts, which keeps the log while it folds). Pure.
 *
 * @example facts.held().overheld // []
 */
export function heldEvents(
  log: readonly HeldLogItem[],
  run: RunResult,
  kind: 'reducer' | 'handler',
  facts: HeldTraceFacts,
): HeldFacts {
  const count = new HeldCount(heldBound(run.config, kind), facts);
  let now = run.trace[0]?.t ?? 0;
  for (const item of log) {
    const at = 'instant' in item ? item.instant : item;
    if (at.t !== now) {
      count.judge(at);
      now = at.t;
    }
    if (!('instant' in item)) count.step(item);
  }
  const last = run.trace.at(-1);
  if (last !== undefined) count.judge(last);
  return { taken: count.taken, overheld: count.overheld, othersInHand: count.othersInHand };
}

/** The events in the design's hands on each connection, folded over `heldEvents`' log. */
class HeldCount {
  taken = 0;
  readonly overheld: Overheld[] = [];
  readonly othersInHand = new Map<string, number>();
  private readonly inHand = new Map<string, Set<string>>();
  private readonly judged = new Set<string>();

  constructor(
    private readonly bound: number,
    private readonly facts: HeldTraceFacts,
  ) {}

  /** Folds in one entry the log holds (one that `readsHeld`). */
  step(entry: TraceEntry): void {
    const conn = entry.conn;
    if (conn === null) {
      // A handler design's broadcast carries one id to many connections and has no outcome:
      // the frames that later carry it show which connections took it.
      if (entry.actor !== 'workload' || entry.action !== 'broadcast') return;
      const id = entry.detail.eventId;
      for (const [to, delivered] of this.facts.firstDelivery)
        if ((delivered.get(id) ?? -1) > entry.i) this.take(to, id, entry);
    } else if (entry.actor === 'workload' && entry.action === 'emit') {
      this.take(conn, entry.detail.eventId, entry);
    } else if (entry.actor === 'workload' && entry.action === 'emitReturned') {
      if (entry.detail.result !== 'true') this.settle(conn, entry.detail.eventId);
    } else if (entry.actor === 'design' && entry.action === 'outcome') {
      const id = entry.detail.eventId;
      if (entry.detail.outcome.kind === 'delivered') this.handOf(conn).delete(id);
      else this.settle(conn, id);
    } else if ((isDataSend(entry) && entry.error === undefined) || isDataWire(entry)) {
      const hand = this.handOf(conn);
      for (const sent of this.facts.eventIdsOf(entry)) hand.delete(sent);
    }
  }

  /** Records each connection whose count first exceeds the bound, judged at `entry`. */
  judge(entry: TraceRecord): void {
    for (const [conn, hand] of this.inHand) {
      if (hand.size <= this.bound || this.judged.has(conn) || !this.open(conn, entry.i)) continue;
      this.judged.add(conn);
      this.overheld.push({ conn, count: hand.size, bound: this.bound, entry });
    }
  }

  private handOf(conn: string): Set<string> {
    let hand = this.inHand.get(conn);
    if (hand === undefined) {
      hand = new Set();
      this.inHand.set(conn, hand);
    }
    return hand;
  }

  private open(conn: string, at: number): boolean {
    return (this.facts.closedAt.get(conn) ?? Number.POSITIVE_INFINITY) > at;
  }

  private take(conn: string, id: string, entry: TraceEntry): void {
    this.handOf(conn).add(id);
    if (this.open(conn, entry.i)) this.taken++;
  }

  private settle(conn: string, id: string): void {
    const hand = this.handOf(conn);
    this.othersInHand.set(deliveryKey(conn, id), hand.size - (hand.has(id) ? 1 : 0));
    hand.delete(id);
  }
}
