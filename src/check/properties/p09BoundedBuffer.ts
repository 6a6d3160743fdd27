/**
 * P9 bounded-buffer (SPEC sections 5 and 7): the buffer never holds more than its capacity.
 */
import type { RunResult } from '../../sim/types.ts';
import type { PropertyDef, PropertyVerdict } from '../propertyTypes.ts';
import { Findings } from './findings.ts';
import { detailNumber, where } from './frames.ts';

/**
 * Violated by a `design/buffer` entry whose `size` is above its `capacity` (or, without a
 * capacity, above the run's configured one). Exercised by every `design/buffer` entry;
 * not applicable when the design reports no buffer.
 *
 * @example p09BoundedBuffer.check(run, ctx).status // 'held'
 */
export const p09BoundedBuffer: PropertyDef = {
  id: 'P9',
  name: 'bounded-buffer',
  summary: 'A connection buffer never holds more events than its configured capacity.',
  precondition: 'a buffer size reported by the design',
  check(run: RunResult): PropertyVerdict {
    const findings = new Findings('P9');
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
    if (findings.exercised === 0) return findings.notApplicable('design exposes no buffer');
    return findings.verdict();
  },
};
