/**
 * `TraceFacts`: the shared fold of a check. One object per checked run, fed every entry
 * before the properties' folds see it (src/properties/fold.ts), so each property reads what
 * the trace has shown so far, and, in its `finish`, what the whole trace showed: where events
 * were first delivered, where each connection first closed, what the harness said at the end,
 * how each data frame reads through the design's codec. Nothing here is cached beyond the
 * object: a new run gets new facts.
 */
import type { HarnessUnsettled, TraceEntry } from '../trace/entry.ts';
import { defaultFrameCodec } from '../trace/frameCodec.ts';
import type { FrameCodec } from '../trace/frameCodec.ts';
import type { RunResult, TraceRecord } from '../trace/types.ts';
import { isCloseWire, isDataWire, readFrame } from './frames.ts';
import type { DataSend, DataWire, FrameReading } from './frames.ts';
import { deliveryKey, heldEvents, readsHeld } from './heldEvents.ts';
import type { HeldFacts, HeldLogItem } from './heldEvents.ts';
import type { CheckContext } from './propertyTypes.ts';

/** What the trace says about its connections (so far, while folding; all of it at finish). */
export interface ConnectionFacts {
  /** Per connection, per event id: index of the first data frame on it containing the event. */
  readonly firstDelivery: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Index of the last data frame on each connection. */
  readonly lastDataWire: ReadonlyMap<string, number>;
  /** Index of the first sign of a close on each connection, from either side. */
  readonly closedAt: ReadonlyMap<string, number>;
  /** Phases the harness reported at `harness/settled`, empty when it did not settle. */
  readonly settledPhases: Readonly<Record<string, string>>;
}

export { deliveryKey };

/** Index of the first data frame on `conn` containing `eventId`, or undefined. Pure. */
export function firstDeliveryOf(facts: ConnectionFacts, conn: string, eventId: string): number | undefined {
  return facts.firstDelivery.get(conn)?.get(eventId);
}

/**
 * The facts every property may read, folded over one run's entries in order (`step`).
 * A connection counts as closed at its first app close, close frame on the wire,
 * `websocket.disconnect` received, client close or abrupt disconnect, or failed write.
 * Frames are read with the design's codec (`codecOf(ctx)`), each at most once per run.
 *
 * @example
 * const facts = new TraceFacts(run, ctx);
 * for (const entry of entries) facts.step(entry); // each narrowed by asEntry (knownEntry.ts)
 * firstDeliveryOf(facts, 'c1', 'e1'); // 12
 */
export class TraceFacts implements ConnectionFacts {
  readonly codec: FrameCodec;
  readonly firstDelivery = new Map<string, Map<string, number>>();
  readonly lastDataWire = new Map<string, number>();
  readonly closedAt = new Map<string, number>();
  settledPhases: Record<string, string> = {};
  /** Whether the design reported a phase (`design/phase`) anywhere in the trace so far. */
  exposesPhase = false;
  /** Whether the design reported its buffer (`design/buffer`) so far. */
  reportsBuffer = false;
  /** Whether the trace records when a handler design's close() was called (`workload/closeCalled`). */
  datesCloseCalls = false;
  /** The last `harness/unsettled` entry so far (an aborted run's carries `detail.aborted`). */
  lastUnsettled: HarnessUnsettled | undefined = undefined;
  private readonly readings = new Map<DataWire | DataSend, FrameReading>();
  /** The entries `heldEvents` reads, and the first of each new instant, in trace order. */
  private readonly heldLog: HeldLogItem[] = [];
  private heldFacts: HeldFacts | undefined = undefined;
  private lastT: number | undefined = undefined;

  constructor(
    private readonly run: RunResult,
    private readonly ctx: Pick<CheckContext, 'design'>,
  ) {
    this.codec = ctx.design.decodeFrame ?? defaultFrameCodec;
  }

  /** Folds one entry in (entries in trace order). */
  step(entry: TraceEntry): void {
    if (readsHeld(entry) || (this.lastT !== undefined && entry.t !== this.lastT)) this.heldLog.push(entry);
    this.lastT = entry.t;
    const conn = entry.conn;
    if (conn === null) {
      if (entry.actor === 'harness') {
        if (entry.action === 'settled') this.settledPhases = phasesOf(entry.detail.phases);
        else if (entry.action === 'unsettled') this.lastUnsettled = entry;
      }
      return;
    }
    if (entry.actor === 'design') {
      if (entry.action === 'phase') this.exposesPhase = true;
      else if (entry.action === 'buffer') this.reportsBuffer = true;
    } else if (entry.actor === 'workload' && entry.action === 'closeCalled') {
      this.datesCloseCalls = true;
    } else if (entry.actor === 'harness' && entry.action === 'unsettled') {
      this.lastUnsettled = entry;
    }
    if (isDataWire(entry)) {
      this.lastDataWire.set(conn, entry.i);
      let delivered = this.firstDelivery.get(conn);
      if (delivered === undefined) {
        delivered = new Map<string, number>();
        this.firstDelivery.set(conn, delivered);
      }
      for (const id of this.eventIdsOf(entry)) if (!delivered.has(id)) delivered.set(id, entry.i);
    } else if (isClosing(entry) && !this.closedAt.has(conn)) {
      this.closedAt.set(conn, entry.i);
    }
  }

  /**
   * An entry of a kind the `TraceEntry` union does not know (knownEntry.ts): no fact reads
   * it, but the first entry of a new instant is where `heldEvents` judges the count in hand.
   */
  stepOther(record: TraceRecord): void {
    if (this.lastT !== undefined && record.t !== this.lastT) this.heldLog.push({ instant: record });
    this.lastT = record.t;
  }

  /** The events a data frame (`net/wire` or `app/send`) carries, read once per run. */
  readingOf(entry: DataWire | DataSend): FrameReading {
    let reading = this.readings.get(entry);
    if (reading === undefined) {
      reading = readFrame(entry, this.codec);
      this.readings.set(entry, reading);
    }
    return reading;
  }

  /** The event ids of an entry's frame, in order; none when the frame is unreadable. */
  eventIdsOf(entry: DataWire | DataSend): readonly string[] {
    const reading = this.readingOf(entry);
    return 'events' in reading ? reading.events.map((e) => e.eventId) : [];
  }

  /**
   * The events in the design's hands (heldEvents.ts), counted once the whole trace was
   * folded: a broadcast is in hand on the connections whose wire later carries it, which
   * only the end of the trace tells. Call from a property's `finish`.
   */
  held(): HeldFacts {
    this.heldFacts ??= heldEvents(this.heldLog, this.run, this.ctx.design.kind, this);
    return this.heldFacts;
  }
}

function isClosing(entry: TraceEntry): boolean {
  if (isCloseWire(entry)) return true;
  if (entry.actor === 'app') {
    return (
      entry.action === 'close' || (entry.action === 'received' && entry.message === 'websocket.disconnect')
    );
  }
  if (entry.actor === 'client') return entry.action === 'close' || entry.action === 'abrupt';
  return entry.actor === 'net' && entry.action === 'sendFailed';
}

/** A copy of a `harness/settled` entry's `detail.phases` (`{conn: phase}`). Pure. */
export function phasesOf(phases: Readonly<Record<string, string>>): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const [conn, phase] of Object.entries(phases)) copy[conn] = phase;
  return copy;
}
