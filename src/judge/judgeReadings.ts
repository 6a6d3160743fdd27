/**
 * Judges a seed port explored under each of its readings: per reading against the
 * expectations that reading is predicted to show, then across readings, telling robust
 * violations (found under every reading) from reading-dependent ones. Pure.
 */
import type { DesignReport } from '../explore/explore.ts';
import type { Expectation, ExpectedViolation } from './expectations.ts';
import { judgeDesign, type DesignResult, type DesignRole } from './judgeDesign.ts';
import type { PropertyId } from '../properties/propertyTypes.ts';
import { readingLabel, readingMatches, type Reading, type ReadingSpace } from '../design/readings.ts';

/** One explored reading and its judged result. */
export interface ReadingRun {
  readonly reading: Reading;
  readonly label: string;
  readonly result: DesignResult;
}

/** Where one property was violated across the explored readings. */
export interface ReadingFinding {
  readonly id: PropertyId;
  /** Labels of the readings under which it was violated, in exploration order. */
  readonly violatedUnder: readonly string[];
  /** Violated under every explored reading. */
  readonly robust: boolean;
  /** What the expectations predict for it: robust, under some readings, or nothing. */
  readonly predicted: 'robust' | 'reading-dependent' | 'no';
}

/** An expected violation not found under a reading it is predicted for. */
export interface MissingUnderReading {
  readonly expected: ExpectedViolation;
  readonly reading: string;
}

/** A port's verdict over its readings. */
export interface ReadingsResult {
  readonly name: string;
  readonly space: ReadingSpace;
  /** The default reading first. */
  readonly runs: readonly ReadingRun[];
  /** Every property violated under at least one reading, in property order. */
  readonly findings: readonly ReadingFinding[];
  readonly missing: readonly MissingUnderReading[];
  /** `holds` entries found violated under a reading they are listed for. */
  readonly brokenHolds: readonly MissingUnderReading[];
  /** Every reading matches the expectations that apply to it. */
  readonly matches: boolean;
}

/** The expectations that apply to one reading (robust ones and those naming its options). Pure. */
export function expectationFor(
  expectation: Expectation | undefined,
  reading: Reading,
): Expectation | undefined {
  if (expectation === undefined) return undefined;
  return {
    design: expectation.design,
    expected: expectation.expected.filter((e) => readingMatches(reading, e.readings ?? [])),
  };
}

/**
 * Judges every reading and aggregates. The returned `row` is the default reading's result
 * (the bundled design, first in `perReading`) with the missing expectations of every reading
 * and a verdict that needs every reading to match. Pure.
 *
 * @example
 * judgeReadings({ name: 'seed-000', ref: 'seed-000', role: 'seed', space, perReading, coverageRequired: false }).readings.findings;
 */
export function judgeReadings(args: {
  readonly name: string;
  readonly ref: string;
  readonly role: DesignRole;
  readonly space: ReadingSpace;
  readonly perReading: readonly { readonly reading: Reading; readonly reports: readonly DesignReport[] }[];
  readonly expectation?: Expectation;
  readonly coverageRequired: boolean;
}): { readonly row: DesignResult; readonly readings: ReadingsResult } {
  const runs: ReadingRun[] = args.perReading.map(({ reading, reports }) => {
    const expectation = expectationFor(args.expectation, reading);
    return {
      reading,
      label: readingLabel(args.space, reading),
      result: judgeDesign({
        name: args.name,
        ref: args.ref,
        role: args.role,
        reports,
        ...(expectation === undefined ? {} : { expectation }),
        coverageRequired: args.coverageRequired,
      }),
    };
  });
  const first = runs[0];
  if (first === undefined) throw new Error(`judgeReadings: no reading of ${args.name} was explored`);
  const ids = [...new Set(runs.flatMap((r) => r.result.properties.map((p) => p.id)))];
  const findings: ReadingFinding[] = [];
  for (const id of ids) {
    const violatedUnder = runs
      .filter((r) => r.result.properties.some((p) => p.id === id && p.status === 'violated'))
      .map((r) => r.label);
    if (violatedUnder.length === 0) continue;
    const predictions = (args.expectation?.expected ?? []).filter((e) => e.property === id);
    const predicted =
      predictions.length === 0
        ? 'no'
        : predictions.some((e) => e.readings === undefined)
          ? 'robust'
          : 'reading-dependent';
    findings.push({ id, violatedUnder, robust: violatedUnder.length === runs.length, predicted });
  }
  const missing = runs.flatMap((r) => r.result.missing.map((expected) => ({ expected, reading: r.label })));
  const brokenHolds = runs.flatMap((r) =>
    (args.expectation?.holds ?? [])
      .filter((h) => readingMatches(r.reading, h.readings ?? []))
      .filter((h) => r.result.properties.some((p) => p.id === h.property && p.status === 'violated'))
      .map((expected) => ({ expected, reading: r.label })),
  );
  const matches = runs.every((r) => r.result.matches) && brokenHolds.length === 0;
  const row: DesignResult = {
    ...first.result,
    missing: [...new Set(missing.map((m) => m.expected))],
    matches,
    runs: runs.reduce((n, r) => n + r.result.runs, 0),
    elapsedMs: runs.reduce((n, r) => n + r.result.elapsedMs, 0),
    determinismFailures: runs.flatMap((r) => r.result.determinismFailures),
  };
  return {
    row,
    readings: { name: args.name, space: args.space, runs, findings, missing, brokenHolds, matches },
  };
}
