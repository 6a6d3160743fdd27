/**
 * The report `check` and `merge` print: the typed report (with the readings verdicts), its
 * JSON text, and the terminal text (matrix, counterexamples, readings section).
 */
import type { PythonVersion } from '../sim/types.ts';
import { toCheckReport, type CheckReport } from '../report/checkReport.ts';
import type { DesignResult } from '../judge/judgeDesign.ts';
import type { ReadingsResult } from '../judge/judgeReadings.ts';
import { renderReadings, readingsJson } from '../report/readingReport.ts';
import { fitLines, renderReport, type Paint } from '../report/report.ts';
import type { JsonValue } from '../core/types.ts';
import { githubReport } from '../report/githubReport.ts';
import { htmlOfCheck } from '../report/htmlOfCheck.ts';
import { renderHtmlReport } from '../report/htmlReport.ts';
import { junitReport } from '../report/junitReport.ts';
import { tapReport } from '../report/tapReport.ts';
import type { Io } from './io.ts';
import { writeReports, type ReportTarget } from './reportOutputs.ts';

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

/**
 * Writes `check`'s (or `merge`'s) `--report` files: the JSON report, JUnit and TAP with each
 * design's measured exploration time (never in the JSON: byte-stable), GitHub annotations and
 * the HTML page. Writes files (or stdout for `github`).
 */
export async function writeCheckReports(
  targets: readonly ReportTarget[],
  results: readonly DesignResult[],
  readings: readonly ReadingsResult[],
  header: { readonly seed: number; readonly timing: boolean; readonly python?: PythonVersion },
  output: CheckOutput,
  io: Io,
): Promise<void> {
  const { report, jsonText } = output;
  const timed = {
    ...report,
    designs: report.designs.map((d, k) => ({ ...d, elapsedMs: results[k]?.elapsedMs })),
  };
  await writeReports(
    targets,
    {
      json: () => jsonText,
      junit: () => junitReport(timed),
      tap: () => tapReport(timed),
      github: () => githubReport(report),
      html: () => renderHtmlReport(htmlOfCheck(results, readings, report, header)),
    },
    io,
  );
}
