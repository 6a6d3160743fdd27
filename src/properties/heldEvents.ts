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
import type { RunResult, TraceEntry } from '../trace/types.ts';
import { detailString, isDataSend, isDataWire } from './frames.ts';

/** What `heldEvents` reads of the whole trace's facts (TraceFacts). */
export interface HeldTraceFacts {
  readonly closedAt: ReadonlyMap<string, number>;
  readonly firstDelivery: ReadonlyMap<string, ReadonlyMap<string, number>>;
  eventIdsOf(entry: TraceEntry): readonly string[];
}

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
  readonly entry: TraceEntry;
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
  log: readonly TraceEntry[],
  run: RunResult,
  kind: 'reducer' | 'handler',
  facts: HeldTraceFacts,
): HeldFacts {
  const { closedAt, firstDelivery } = facts;
  const bound = heldBound(run.config, kind);
  const inHand = new Map<string, Set<string>>();
  const judged = new Set<string>();
  const overheld: Overheld[] = [];
  const othersInHand = new Map<string, number>();
  let taken = 0;

  const handOf = (conn: string): Set<string> => {
    let hand = inHand.get(conn);
    if (hand === undefined) {
      hand = new Set();
      inHand.set(conn, hand);
    }
    return hand;
  };
  const open = (conn: string, at: number): boolean => (closedAt.get(conn) ?? Number.POSITIVE_INFINITY) > at;
  const take = (conn: string, id: string, entry: TraceEntry): void => {
    handOf(conn).add(id);
    if (open(conn, entry.i)) taken++;
  };
  const settle = (conn: string, id: string): void => {
    const hand = handOf(conn);
    othersInHand.set(deliveryKey(conn, id), hand.size - (hand.has(id) ? 1 : 0));
    hand.delete(id);
  };
  const judge = (entry: TraceEntry): void => {
    for (const [conn, hand] of inHand) {
      if (hand.size <= bound || judged.has(conn) || !open(conn, entry.i)) continue;
      judged.add(conn);
      overheld.push({ conn, count: hand.size, bound, entry });
    }
  };

  let now = run.trace[0]?.t ?? 0;
  for (const entry of log) {
    if (entry.t !== now) {
      judge(entry);
      now = entry.t;
    }
    const conn = entry.conn;
    const id = detailString(entry, 'eventId');
    if (conn === null) {
      // A handler design's broadcast carries one id to many connections and has no outcome:
      // the frames that later carry it show which connections took it.
      if (entry.actor !== 'workload' || entry.action !== 'broadcast' || id === undefined) continue;
      for (const [to, delivered] of firstDelivery)
        if ((delivered.get(id) ?? -1) > entry.i) take(to, id, entry);
    } else if (entry.actor === 'workload' && entry.action === 'emit') {
      if (id !== undefined) take(conn, id, entry);
    } else if (entry.actor === 'workload' && entry.action === 'emitReturned') {
      if (id !== undefined && detailString(entry, 'result') !== 'true') settle(conn, id);
    } else if (entry.actor === 'design' && entry.action === 'outcome') {
      const outcome = entry.detail?.['outcome'];
      if (id === undefined || outcome === null || typeof outcome !== 'object' || Array.isArray(outcome))
        continue;
      if ((outcome as { readonly kind?: unknown }).kind === 'delivered') handOf(conn).delete(id);
      else settle(conn, id);
    } else if ((isDataSend(entry) && entry.error === undefined) || isDataWire(entry)) {
      const hand = handOf(conn);
      for (const sent of facts.eventIdsOf(entry)) hand.delete(sent);
    }
  }
  const last = run.trace.at(-1);
  if (last !== undefined) judge(last);
  return { taken, overheld, othersInHand };
}
