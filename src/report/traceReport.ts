/**
 * The typed report of `check-trace`: one row per trace file, in the shape of `check`'s
 * report (`{ designs: [{ name, properties: [{ id, status, runs, counterexample? }] }] }`), so
 * the same JSON readers and the same JUnit writer take it.
 */
import type { ProfileName } from '../sim/types.ts';
import type { TraceRecord } from '../trace/types.ts';
import type { PropertyId, PropertyStatus, PropertyVerdict } from '../properties/propertyTypes.ts';
import { checkVerdict, type CheckVerdict } from './checkReport.ts';
import { cutTimeline } from './timeline.ts';
import { stepLines, timelineSteps, type TimelineStep } from './timelineSteps.ts';
import type { TraceFile } from '../trace/traceFile.ts';

/** One trace file and its verdicts, in property order. */
export interface CheckedTrace {
  readonly name: string;
  readonly file: TraceFile;
  readonly verdicts: readonly PropertyVerdict[];
}

/** One property on one trace file. */
export interface TraceReportedProperty {
  readonly id: PropertyId;
  readonly status: PropertyStatus;
  /** Always 1: one recorded run. */
  readonly runs: number;
  readonly exercised: number;
  /** Why it does not apply, what was never exercised, what was violated, or what the checker threw. */
  readonly message?: string;
  /** Status `checker-error`: what the checker threw (the property was not judged). */
  readonly checkerError?: string;
  readonly counterexample?: {
    readonly message: string;
    /** Length of the shown timeline. */
    readonly steps: number;
    /** The shown timeline, one object per step (`stepLines` renders them as the text does). */
    readonly timeline: readonly TimelineStep[];
    /** Earlier steps of the offending connection left out (a real recording shows its last 40). */
    readonly earlierSteps?: number;
  };
}

/** One trace file's row and verdict. */
export interface TraceReportedDesign {
  /** The trace file as named on the command line. */
  readonly name: string;
  readonly role: 'trace';
  readonly source: 'simulation' | 'real';
  readonly recorder: string;
  /** The design named in the trace header. */
  readonly design: string;
  readonly entries: number;
  /** No violation, and something was exercised (or `--allow-unexercised`). */
  readonly matches: boolean;
  readonly missing: readonly PropertyId[];
  readonly unexpected: readonly PropertyId[];
  /** Applicable properties whose precondition never occurred. */
  readonly coverageGaps: readonly PropertyId[];
  /** Nothing was exercised and that was not accepted: the gaps fail the trace (`nothingProved`). */
  readonly unexercisedFails: boolean;
  /** Nothing was exercised and `--allow-unexercised` accepted it. */
  readonly unexercisedAccepted: boolean;
  readonly determinismFailures: readonly never[];
  readonly properties: readonly TraceReportedProperty[];
}

/** The whole `check-trace` report. */
export interface CheckTraceReport {
  /** The `--profile` given, or null (each trace's header profile). */
  readonly profile: ProfileName | 'swarm' | null;
  readonly designs: readonly TraceReportedDesign[];
  readonly summary: {
    readonly designs: number;
    readonly violations: number;
    /** Trace files that fail: a violation, or nothing exercised and not accepted. */
    readonly mismatches: number;
    /** Cells whose checker threw (`checker-error`); absent when none did. */
    readonly checkerErrors?: number;
    readonly verdict: CheckVerdict;
  };
}

/**
 * Whether a trace's verdicts proved nothing: no violation, and no property held with its
 * precondition seen, every applicable cell `nc` (or none applicable). DE does not count: its
 * precondition is any run, so it holds on every trace. The one rule behind the exit code, the
 * text and the JUnit report of `check-trace` (SPEC section 11: such a trace is not a pass). Pure.
 *
 * @example nothingProved(checkTraceFile(file)); // true for a trace of failed upgrades only
 */
export function nothingProved(verdicts: readonly PropertyVerdict[]): boolean {
  return !verdicts.some((v) => v.status === 'violated' || (v.status === 'held' && v.id !== 'DE'));
}

/** Most timeline lines shown for a finding in a real trace (the earlier ones are counted). */
const realTimelineLines = 40;

/**
 * The entries of a finding's timeline: a real recording interleaves every connection, so
 * only the offending one (and run-wide entries) is kept, and its last steps; `earlier`
 * counts the steps left out and `skipped` says so, or is empty. Pure.
 */
export function findingEntries(
  r: CheckedTrace,
  v: PropertyVerdict,
): { readonly entries: TraceRecord[]; readonly skipped: string; readonly earlier: number } {
  const { trace } = r.file.run;
  const conn = trace[v.steps[0] ?? -1]?.conn ?? null;
  let entries = cutTimeline(trace, v.steps);
  let earlier = 0;
  if (r.file.header.source === 'real') {
    entries = entries.filter((e) => e.conn === conn || e.conn === null);
    earlier = Math.max(0, entries.length - realTimelineLines);
    entries = entries.slice(earlier);
  }
  const skipped = earlier > 0 ? `  ... ${earlier} earlier steps of ${conn ?? 'the run'}` : '';
  return { entries, skipped, earlier };
}

/** The timeline of a finding as steps (`findingEntries`). Pure. */
function findingSteps(
  r: CheckedTrace,
  v: PropertyVerdict,
): { steps: TimelineStep[]; earlier: number; skipped: string } {
  const { entries, earlier, skipped } = findingEntries(r, v);
  return { steps: timelineSteps(entries, v.steps), earlier, skipped };
}

/** The timeline of a finding, as printed (see `findingEntries`). Pure. */
export function findingTimeline(r: CheckedTrace, v: PropertyVerdict): string {
  const { steps, skipped } = findingSteps(r, v);
  return (skipped === '' ? '' : `${skipped}\n`) + stepLines(steps).join('\n');
}

function reportedProperty(r: CheckedTrace, v: PropertyVerdict): TraceReportedProperty {
  const base = { id: v.id, status: v.status, runs: 1, exercised: v.exercised };
  const message = v.status === 'held' ? {} : { message: v.message };
  if (v.status === 'checker-error') return { ...base, ...message, checkerError: v.message };
  if (v.status !== 'violated') return { ...base, ...message };
  const counterexample = { message: v.message, steps: v.steps.length, ...findingTimelineJson(r, v) };
  return { ...base, ...message, counterexample };
}

/**
 * A finding's timeline as the JSON reports carry it: the steps, and how many earlier steps a
 * real recording's timeline left out. Pure.
 */
export function findingTimelineJson(
  r: CheckedTrace,
  v: PropertyVerdict,
): { readonly timeline: TimelineStep[]; readonly earlierSteps?: number } {
  const { steps: timeline, earlier } = findingSteps(r, v);
  return { timeline, ...(earlier > 0 ? { earlierSteps: earlier } : {}) };
}

/**
 * The report of checked trace files. Pure: the same files give the same report, byte for
 * byte once serialised.
 *
 * @example toTraceReport(rows, { profile: null, allowUnexercised: false }).summary.verdict;
 */
export function toTraceReport(
  rows: readonly CheckedTrace[],
  options: { readonly profile: ProfileName | 'swarm' | null; readonly allowUnexercised: boolean },
): CheckTraceReport {
  const designs = rows.map((r): TraceReportedDesign => {
    const unexpected = r.verdicts.filter((v) => v.status === 'violated').map((v) => v.id);
    const proved = !nothingProved(r.verdicts);
    const unexercisedFails = !proved && !options.allowUnexercised;
    return {
      name: r.name,
      role: 'trace',
      source: r.file.header.source,
      recorder: r.file.header.recorder,
      design: r.file.header.design.name,
      entries: r.file.run.trace.length,
      matches: unexpected.length === 0 && !unexercisedFails,
      missing: [],
      unexpected,
      coverageGaps: r.verdicts.filter((v) => v.status === 'not-exercised').map((v) => v.id),
      unexercisedFails,
      unexercisedAccepted: !proved && options.allowUnexercised,
      determinismFailures: [],
      properties: r.verdicts.map((v) => reportedProperty(r, v)),
    };
  });
  const mismatches = designs.filter((d) => !d.matches).length;
  const checkerErrors = rows.reduce(
    (n, r) => n + r.verdicts.filter((v) => v.status === 'checker-error').length,
    0,
  );
  return {
    profile: options.profile,
    designs,
    summary: {
      designs: designs.length,
      violations: designs.reduce((n, d) => n + d.unexpected.length, 0),
      mismatches,
      ...(checkerErrors === 0 ? {} : { checkerErrors }),
      verdict: checkVerdict({ mismatches, checkerErrors }),
    },
  };
}
