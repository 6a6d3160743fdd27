/**
 * The report `check` and `merge` print: the typed report (with the readings verdicts), its
 * JSON text, and the terminal text (matrix, counterexamples, readings section).
 */
import type { PythonVersion } from '../sim/types.ts';
import { toCheckReport, type CheckReport } from '../check/checkReport.ts';
import type { DesignResult } from '../check/judgeDesign.ts';
import type { ReadingsResult } from '../check/judgeReadings.ts';
import { renderReadings, readingsJson } from '../check/readingReport.ts';
import { fitLines, renderReport, type Paint } from '../check/report.ts';
import type { JsonValue } from '../core/types.ts';
import type { Io } from './io.ts';

/** The report in its forms. */
export interface CheckOutput {
  readonly report: CheckReport & { readonly readings: JsonValue[] };
  readonly jsonText: string;
  /** What is printed without --json. */
  readonly text: string;
}

/**
 * Builds the report of judged results, for `io`'s width and colours. Pure given `paint`.
 *
 * @example checkOutput(results, readings, { seed: 1, timing: false }, noPaint, io).jsonText;
 */
export function checkOutput(
  results: readonly DesignResult[],
  readings: readonly ReadingsResult[],
  header: { readonly seed: number; readonly timing: boolean; readonly python?: PythonVersion },
  paint: Paint,
  io: Pick<Io, 'columns'>,
): CheckOutput {
  const report = { ...toCheckReport(results, header), readings: readingsJson(readings) };
  const text =
    renderReport(results, {
      ...header,
      paint,
      ...(io.columns === undefined ? {} : { columns: io.columns }),
    }) + fitLines(renderReadings(readings), io.columns ?? 80);
  return { report, jsonText: `${JSON.stringify(report, null, 2)}\n`, text };
}
