/**
 * A counterexample's timeline as data, for the JSON reports: one object per step with what
 * the text report prints on its line, and the fields a program needs to draw or filter it.
 */
import type { Actor, TraceRecord } from '../trace/types.ts';
import { describe, ownsPhase, stepLine, stepText } from './timeline.ts';

/** One step of a reported timeline (a trace entry kept by `cutTimeline`). */
export interface TimelineStep {
  /** The entry's index in the run's trace. */
  readonly i: number;
  /** Simulated (or recorded) time, ms. */
  readonly t: number;
  /** The connection, or null for a run-wide entry. */
  readonly conn: string | null;
  readonly actor: Actor;
  readonly action: string;
  /** What the text report prints after the actor column (details, `=> phase`, `! error`). */
  readonly text: string;
  /** One of the steps that make the violation (`>` in the text report). */
  readonly offending: boolean;
  /** The design's phase after this step, when the design exposes one. */
  readonly phase?: string;
  /** The ASGI message type of a socket call. */
  readonly message?: string;
  /** What the socket call raised. */
  readonly error?: string;
  readonly errorKind?: string;
}

/** Where a step is: its entry's index, time, connection, actor and action. Pure. */
function stepPlace(e: TraceRecord): Pick<TraceRecord, 'i' | 't' | 'conn' | 'actor' | 'action'> {
  return { i: e.i, t: e.t, conn: e.conn, actor: e.actor, action: e.action };
}

/**
 * The steps of a cut timeline (`cutTimeline`), `offending` marking the verdict's steps. Pure.
 *
 * @example
 * timelineSteps(cx.timeline, cx.offending)[0]; // { i: 0, t: 0, conn: 'c1', actor: 'workload', ... }
 */
export function timelineSteps(
  entries: readonly TraceRecord[],
  offending: readonly number[] = [],
): TimelineStep[] {
  const marked = new Set(offending);
  return entries.map((e) => ({
    ...stepPlace(e),
    text: stepText(e),
    offending: marked.has(e.i),
    ...(e.phase === undefined ? {} : { phase: e.phase }),
    ...(e.message === undefined ? {} : { message: e.message }),
    ...(e.error === undefined ? {} : { error: e.error }),
    ...(e.errorKind === undefined ? {} : { errorKind: e.errorKind }),
  }));
}

/**
 * The steps as the text report's lines (the same text `renderTimeline` prints). Pure.
 *
 * @example
 * stepLines(report.designs[0].properties[7].counterexample.timeline).join('\n');
 */
export function stepLines(steps: readonly TimelineStep[]): string[] {
  const width = Math.max(1, ...steps.map((s) => String(s.i).length));
  return steps.map((s) => stepLine(s, width));
}

/** One step as the HTML report draws it: the JSON step's facts, plus the entry it stands for. */
export interface DiagramStep {
  readonly i: number;
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
  readonly entry: TraceRecord;
}

/**
 * The steps of cut timeline entries (`cutTimeline`) as the HTML report draws them. Pure.
 *
 * @example
 * diagramSteps(cutTimeline(run.trace, verdict.steps), verdict.steps).filter((s) => s.offending);
 */
export function diagramSteps(
  entries: readonly TraceRecord[],
  offending: readonly number[] = [],
): DiagramStep[] {
  const marked = new Set(offending);
  return entries.map((e) => ({
    ...stepPlace(e),
    what: describe(e),
    ...(e.phase !== undefined && !ownsPhase(e) ? { phase: e.phase } : {}),
    ...(e.error !== undefined ? { error: `${e.errorKind ?? 'Error'}: ${e.error}` } : {}),
    offending: marked.has(e.i),
    entry: e,
  }));
}
