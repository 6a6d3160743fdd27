/**
 * P8 order-and-seq (SPEC sections 6 and 7): per connection, delivered events keep emit
 * order, and delivered seq numbers run 1..n with no gap and no repeat.
 */
import { defineProperty, type PropertyDef } from './fold.ts';
import { Findings } from './findings.ts';
import { isDataWire, unreadableFinding, where } from './frames.ts';

/** The latest-emitted event delivered so far on one connection. */
interface Latest {
  readonly ordinal: number;
  readonly id: string;
}

/**
 * Order: on each connection, an event emitted to it must not reach the wire after an event
 * emitted to it later (events that never arrive are P7's business; repeats are P7's too).
 * Seq: the seqs the design's frame codec reads (`codecOf`; the default reads the reference's
 * `{kind:'event', seq}` and `{kind:'batch', events:[{seq}]}`) must run 1, 2, 3... per
 * connection; events a frame carries without seq are not numbered. A frame the codec cannot
 * read is an `unreadable-frame` violation. Exercised by every delivered event after the first on
 * its connection (each is a comparison with the ones before).
 *
 * @example p08OrderAndSeq.check(run, ctx).status // 'held'
 */
export const p08OrderAndSeq: PropertyDef = defineProperty({
  id: 'P8',
  name: 'order-and-seq',
  summary:
    'On each connection, events reach the wire in emit order (a live event never overtakes a buffered ' +
    'one), and sequence numbers run 1, 2, 3... with no gap and no repeat.',
  precondition: 'a second event delivered on one connection',
  reads: ['workload', 'net'],
  init: () => ({
    findings: new Findings('P8'),
    // Keyed by event id: an emitted event belongs to one connection (`connOf`).
    ordinalOf: new Map<string, number>(),
    connOf: new Map<string, string>(),
    emitted: new Map<string, number>(),
    latest: new Map<string, Latest>(),
    delivered: new Set<string>(),
    deliveredCount: new Map<string, number>(),
    nextSeq: new Map<string, number>(),
  }),
  step(state, entry, facts) {
    const { findings, ordinalOf, connOf, emitted, latest, delivered, deliveredCount, nextSeq } = state;
    const conn = entry.conn;
    if (conn === null) return;
    if (entry.actor === 'workload' && entry.action === 'emit') {
      const id = entry.detail.eventId;
      const ordinal = emitted.get(conn) ?? 0;
      emitted.set(conn, ordinal + 1);
      ordinalOf.set(id, ordinal);
      connOf.set(id, conn);
      return;
    }
    if (!isDataWire(entry)) return;
    const { at } = where(entry);
    const reading = facts.readingOf(entry);
    if ('unreadable' in reading) {
      findings.violate([entry.i], unreadableFinding(entry, reading.unreadable));
      return;
    }
    for (const { eventId: id } of reading.events) {
      const ordinal = ordinalOf.get(id);
      if (ordinal === undefined || connOf.get(id) !== conn || delivered.has(id)) continue;
      delivered.add(id);
      const count = (deliveredCount.get(conn) ?? 0) + 1;
      deliveredCount.set(conn, count);
      if (count > 1) findings.exercised++;
      const before = latest.get(conn);
      if (before !== undefined && before.ordinal > ordinal) {
        findings.violate(
          [entry.i],
          `${conn}: event ${id} reached the wire after ${before.id}, emitted later ${at}`,
        );
      } else {
        latest.set(conn, { ordinal, id });
      }
    }
    for (const { seq } of reading.events) {
      if (seq === null) continue;
      const expected = nextSeq.get(conn) ?? 1;
      if (seq !== expected) {
        const what = seq < expected ? 'repeats or goes back' : 'leaves a gap';
        findings.violate([entry.i], `${conn}: seq ${seq} where ${expected} was due (${what}) ${at}`);
      }
      // Resynchronise on the frame's seq so one fault is reported once, not on every later frame.
      nextSeq.set(conn, Math.max(expected, seq + 1));
    }
  },
  finish: ({ findings }) => findings.verdict(),
});
