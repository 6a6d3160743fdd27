/**
 * A counterexample's timeline as data: the steps `renderTimeline` prints one per line, each
 * with its time, connection, actor, what it did, whether it is offending, and the trace entry
 * it stands for. The HTML report draws these; the text report prints the same words.
 */
import type { Actor, TraceEntry } from '../sim/types.ts';
import { describe, ownsPhase } from './timeline.ts';

/** One step of a timeline. */
export interface TimelineStep {
  /** Index of the trace entry in its run. */
  readonly i: number;
  /** Simulated (or recorded) milliseconds. */
  readonly t: number;
  readonly conn: string | null;
  readonly actor: Actor;
  readonly action: string;
  /** What the step did, as the text timeline says it, without the phase and error. */
  readonly what: string;
  /** The design's phase after the step, when the step shows one. */
  readonly phase?: string;
  /** `RuntimeError: ...` when the call raised. */
  readonly error?: string;
  /** One of the verdict's `steps`: the text timeline marks it with `>`. */
  readonly offending: boolean;
  /** The (possibly folded: bursts, broadcast copies, phases) trace entry the step stands for. */
  readonly entry: TraceEntry;
}

/**
 * The steps of cut timeline entries (`cutTimeline`), in order. Pure.
 *
 * @example
 * timelineSteps(cutTimeline(run.trace, verdict.steps), verdict.steps).filter((s) => s.offending);
 */
export function timelineSteps(
  entries: readonly TraceEntry[],
  offending: readonly number[] = [],
): TimelineStep[] {
  const marked = new Set(offending);
  return entries.map((e) => ({
    i: e.i,
    t: e.t,
    conn: e.conn,
    actor: e.actor,
    action: e.action,
    what: describe(e),
    ...(e.phase !== undefined && !ownsPhase(e) ? { phase: e.phase } : {}),
    ...(e.error !== undefined ? { error: `${e.errorKind ?? 'Error'}: ${e.error}` } : {}),
    offending: marked.has(e.i),
    entry: e,
  }));
}
