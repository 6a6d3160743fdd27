/**
 * The trace recorder: appends `TraceEntry` values (docs/trace.md) stamped with index and
 * simulated time, and serialises a trace to one JSON line per entry for byte comparison.
 */
import type { TraceDraft, TraceEntry } from '../trace/entry.ts';
import type { TraceRecord } from '../trace/types.ts';
import type { SimClock } from './simClock.ts';

/** Most entries one run may write; beyond it the run is aborted (a harness error, not a crash). */
export const traceCapacity = 500_000;

/**
 * Collects one run's trace in order. Every write counts as activity for `quiesce()`.
 *
 * @example
 * const trace = new TraceRecorder(clock);
 * trace.write({ conn: 'c1', actor: 'workload', action: 'open', detail: { userId: 'u1' } });
 */
export class TraceRecorder {
  readonly entries: TraceEntry[] = [];
  private readonly clock: SimClock;

  constructor(clock: SimClock) {
    this.clock = clock;
  }

  /** Appends an entry (fields set to undefined are left out) and returns it. */
  write(draft: TraceDraft): TraceEntry {
    this.clock.bump();
    const entry: Record<string, unknown> = { i: this.entries.length, t: this.clock.now() };
    const fields = draft as Record<string, unknown>;
    for (const key in fields) {
      const value = fields[key];
      if (value !== undefined) entry[key] = value;
    }
    const stamped = entry as unknown as TraceEntry;
    if (this.entries.length >= traceCapacity) {
      this.clock.abort(`trace capacity ${traceCapacity} exceeded`);
      return stamped;
    }
    this.entries.push(stamped);
    return stamped;
  }
}

/**
 * One JSON line per entry, joined by '\n': pure. Equal traces give equal strings.
 *
 * @example
 * serializeTrace(a.trace) === serializeTrace(b.trace); // same scenario, same bytes
 */
export function serializeTrace(trace: readonly TraceRecord[]): string {
  return trace.map((entry) => JSON.stringify(entry)).join('\n');
}
