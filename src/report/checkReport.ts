/**
 * The typed report of a check: what `ws-lifecycle check --json` prints and what
 * `checkDesign` returns. Its schema (reportSchema.ts) validates the same shape.
 */
import type { DesignResult, DesignRole } from '../judge/judgeDesign.ts';
import { reportedPaths, type ReportedPath } from './pathReport.ts';
import type { PropertyId, PropertyStatus } from '../properties/propertyTypes.ts';
import type { PythonVersion } from '../sim/types.ts';
import { reproduceCommand } from '../explore/reproduceCommand.ts';
import type { ExploreProfile } from '../explore/scenarioArb.ts';
import { timelineSteps, type TimelineStep } from './timelineSteps.ts';

/** A shrunk counterexample as reported: enough to read it and to replay it. */
export interface ReportedCounterexample {
  readonly message: string;
  readonly profile: ExploreProfile;
  readonly seed: number;
  readonly path: string;
  /** Length of the shrunk timeline. */
  readonly steps: number;
  readonly runsToFirstFailure: number;
  /** Wall-clock figure; present only with `timing`. */
  readonly msToFirstFailure?: number;
  /** The shrunk timeline, one object per step (`stepLines` renders them as the text report does). */
  readonly timeline: readonly TimelineStep[];
  /** The command line that replays the run exactly. */
  readonly reproduce: string;
}

/** One property of one design over every explored profile. */
export interface ReportedProperty {
  readonly id: PropertyId;
  readonly status: PropertyStatus;
  readonly runs: number;
  /** Runs in which the property's precondition occurred. */
  readonly exercised: number;
  /** The design's expectation fixture lists this property as violated. */
  readonly expected: boolean;
  readonly counterexample?: ReportedCounterexample;
  /** Status `checker-error`: what its checker threw (the property was not judged). */
  readonly checkerError?: string;
}

export type { ReportedPath } from './pathReport.ts';

/** One design's row and verdict. */
export interface ReportedDesign {
  readonly name: string;
  /** What `--design` takes to reach this design again. */
  readonly ref: string;
  readonly role: DesignRole;
  /** The design matches its expectation (the reference and user designs: holds every property). */
  readonly matches: boolean;
  /** Wall-clock figure; present only with `timing`. */
  readonly elapsedMs?: number;
  readonly missing: readonly PropertyId[];
  readonly unexpected: readonly PropertyId[];
  readonly coverageGaps: readonly PropertyId[];
  /** The coverage gaps fail the design (judgeDesign.ts `unexercisedFails`). */
  readonly unexercisedFails: boolean;
  readonly determinismFailures: readonly {
    readonly seed: number;
    readonly path: string;
    readonly profile: ExploreProfile;
  }[];
  readonly properties: readonly ReportedProperty[];
  /** The design's code paths and the runs that reached them; absent when it declares none. */
  readonly paths?: readonly ReportedPath[];
}

/** The whole report. */
export interface CheckReport {
  readonly seed: number;
  readonly profiles: Readonly<Record<string, readonly ExploreProfile[]>>;
  readonly runs: Readonly<Record<string, number>>;
  readonly designs: readonly ReportedDesign[];
  readonly summary: {
    readonly designs: number;
    /** Violated cells of the matrix, expected or not. */
    readonly violations: number;
    /** Designs that do not match their expectation. */
    readonly mismatches: number;
    /** Cells whose checker threw (`checker-error`); absent when none did. */
    readonly checkerErrors?: number;
    /** `error` when a checker threw (whatever else was found), else `fail` on a mismatch. */
    readonly verdict: CheckVerdict;
  };
}

/**
 * The verdict of a check (or of checked traces): `error` when a property's checker threw, so
 * the check itself is in doubt (exit 3); else `fail` when a design does not match (exit 1);
 * else `pass`.
 */
export type CheckVerdict = 'pass' | 'fail' | 'error';

/**
 * The `CheckVerdict` of a summary's counts. Pure.
 *
 * @example checkVerdict({ mismatches: 0, checkerErrors: 1 }); // 'error'
 */
export function checkVerdict(s: {
  readonly mismatches: number;
  readonly checkerErrors?: number;
}): CheckVerdict {
  if ((s.checkerErrors ?? 0) > 0) return 'error';
  return s.mismatches === 0 ? 'pass' : 'fail';
}

/**
 * The report of judged designs. Pure; without `timing` the same results give the same
 * report, byte for byte once serialised.
 *
 * @example
 * toCheckReport(results, { seed: 1, timing: false }).summary.verdict; // 'pass'
 */
export function toCheckReport(
  results: readonly DesignResult[],
  header: { readonly seed: number; readonly timing: boolean; readonly python?: PythonVersion },
): CheckReport {
  const { timing } = header;
  const designs = results.map((r): ReportedDesign => ({
    name: r.name,
    ref: r.ref,
    role: r.role,
    matches: r.matches,
    ...(timing ? { elapsedMs: r.elapsedMs } : {}),
    missing: r.missing.map((m) => m.property),
    unexpected: [...r.unexpected],
    coverageGaps: [...r.coverageGaps],
    unexercisedFails: r.unexercisedFails,
    determinismFailures: r.determinismFailures.map((d) => ({
      seed: d.seed,
      path: d.path,
      profile: d.profile,
    })),
    properties: r.properties.map((p): ReportedProperty => {
      const cx = p.counterexample;
      const base = { id: p.id, status: p.status, runs: p.runs, exercised: p.exercised, expected: p.expected };
      if (p.checkerError !== undefined) return { ...base, checkerError: p.checkerError };
      if (cx === undefined) return base;
      const counterexample: ReportedCounterexample = {
        message: cx.message,
        profile: cx.profile,
        seed: cx.seed,
        path: cx.path,
        steps: cx.timeline.length,
        runsToFirstFailure: cx.runsToFirstFailure,
        ...(timing ? { msToFirstFailure: cx.msToFirstFailure } : {}),
        timeline: timelineSteps(cx.timeline, cx.offending),
        reproduce: reproduceCommand(r.ref, cx, header.python),
      };
      return { ...base, counterexample };
    }),
    ...(r.paths === undefined ? {} : { paths: reportedPaths(r.paths) }),
  }));
  const mismatches = results.filter((r) => !r.matches).length;
  const checkerErrors = results.reduce((n, r) => n + r.checkerErrors.length, 0);
  return {
    seed: header.seed,
    profiles: Object.fromEntries(results.map((r) => [r.name, [...r.profiles]])),
    runs: Object.fromEntries(results.map((r) => [r.name, r.runs])),
    designs,
    summary: {
      designs: results.length,
      violations: results.reduce((n, r) => n + r.properties.filter((p) => p.status === 'violated').length, 0),
      mismatches,
      ...(checkerErrors === 0 ? {} : { checkerErrors }),
      verdict: checkVerdict({ mismatches, checkerErrors }),
    },
  };
}
