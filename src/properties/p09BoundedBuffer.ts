/**
 * P9 bounded-buffer (SPEC sections 5 and 7): the events a design holds never exceed its
 * capacity, counted from the trace, not from the design's own reports.
 */
import type { RunResult } from '../trace/types.ts';
import type { CheckContext, PropertyDef, PropertyVerdict } from './propertyTypes.ts';
import { Findings } from './findings.ts';
import { codecOf, detailNumber, where } from './frames.ts';
import { heldEvents } from './heldEvents.ts';

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
export const p09BoundedBuffer: PropertyDef = {
  id: 'P9',
  name: 'bounded-buffer',
  summary: 'A connection never holds more events than its configured capacity, counted from the trace.',
  precondition: "an event in the design's hands on an open connection, or a buffer size it reported",
  check(run: RunResult, ctx: CheckContext): PropertyVerdict {
    const findings = new Findings('P9');
    const held = heldEvents(run, ctx.design.kind, codecOf(ctx));
    findings.exercised += held.taken;
    const reports = run.trace.some((e) => e.actor === 'design' && e.action === 'buffer');
    for (const over of held.overheld) {
      const { at } = where(over.entry);
      const window = over.bound === run.config.capacity ? '' : ` + the core's send window = ${over.bound}`;
      const own = reports ? '' : '; the design reports no buffer, so it is judged against the run capacity';
      findings.violate(
        [over.entry.i],
        `${over.conn}: the design held ${over.count} events not yet sent, capacity ${run.config.capacity}${window}${own} ${at}`,
      );
    }
    for (const entry of run.trace) {
      if (entry.actor !== 'design' || entry.action !== 'buffer') continue;
      findings.exercised++;
      const size = detailNumber(entry, 'size');
      const capacity = detailNumber(entry, 'capacity') ?? run.config.capacity;
      if (size !== undefined && size > capacity) {
        const { conn, at } = where(entry);
        findings.violate([entry.i], `${conn}: buffer holds ${size} events, capacity ${capacity} ${at}`);
      }
    }
    if (findings.exercised === 0) return findings.notApplicable('no event emitted and no buffer reported');
    return findings.verdict();
  },
};
