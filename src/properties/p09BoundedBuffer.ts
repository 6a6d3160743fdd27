/**
 * P9 bounded-buffer (SPEC sections 5 and 7): the events a design holds never exceed its
 * capacity, counted from the trace, not from the design's own reports.
 */
import { defineProperty, type PropertyDef } from './fold.ts';
import { Findings } from './findings.ts';
import { where } from './frames.ts';

/**
 * Violated when, once simulated time moves on, a connection's events in the design's hands
 * (heldEvents.ts: emitted, not yet handed to the socket, no final outcome) exceed the run's
 * capacity (`run.config.capacity`; for a reducer design plus the core's send window),
 * whether or not the design reports a buffer; and, as extra evidence, by a `design/buffer`
 * entry whose `size` is above its `capacity` (or, without one, the run's). Exercised by every
 * event taken in hand on an open connection and every `design/buffer` entry; not applicable
 * when the trace has neither.
 *
 * @example p09BoundedBuffer.check(run, ctx).status // 'held'
 */
export const p09BoundedBuffer: PropertyDef = defineProperty({
  id: 'P9',
  name: 'bounded-buffer',
  summary: 'A connection never holds more events than its configured capacity, counted from the trace.',
  precondition: "an event in the design's hands on an open connection, or a buffer size it reported",
  reads: ['design'],
  init: (run) => ({ findings: new Findings('P9'), run, reported: [] as Reported[] }),
  step({ findings, run, reported }, entry) {
    if (entry.actor !== 'design' || entry.action !== 'buffer') return;
    findings.exercised++;
    const size = entry.detail.size;
    const capacity = entry.detail.capacity ?? run.config.capacity;
    if (size > capacity) {
      const { conn, at } = where(entry);
      reported.push({
        steps: [entry.i],
        message: `${conn}: buffer holds ${size} events, capacity ${capacity} ${at}`,
      });
    }
  },
  finish({ findings, run, reported }, facts) {
    const held = facts.held();
    findings.exercised += held.taken;
    const reports = facts.reportsBuffer;
    for (const over of held.overheld) {
      const { at } = where(over.entry);
      const window = over.bound === run.config.capacity ? '' : ` + the core's send window = ${over.bound}`;
      const own = reports ? '' : '; the design reports no buffer, so it is judged against the run capacity';
      findings.violate(
        [over.entry.i],
        `${over.conn}: the design held ${over.count} events not yet sent, capacity ${run.config.capacity}${window}${own} ${at}`,
      );
    }
    // The design's own reports come second: evidence beside the count from the trace.
    for (const { steps, message } of reported) findings.violate(steps, message);
    if (findings.exercised === 0) return findings.notApplicable('no event emitted and no buffer reported');
    return findings.verdict();
  },
});

/** A `design/buffer` entry reporting more than its capacity. */
interface Reported {
  readonly steps: readonly number[];
  readonly message: string;
}
