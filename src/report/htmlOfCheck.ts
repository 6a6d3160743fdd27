/**
 * The HTML report model of a `check` (and of `merge`, which judges the same results): the
 * text report's matrix, verdicts, paths and readings, and every counterexample's steps.
 */
import type { PythonVersion } from '../sim/types.ts';
import type { CheckReport } from './checkReport.ts';
import type { HtmlReportModel } from './htmlReport.ts';
import type { DesignResult } from '../judge/judgeDesign.ts';
import type { ReadingsResult } from '../judge/judgeReadings.ts';
import { renderPaths } from './pathReport.ts';
import { properties } from '../properties/index.ts';
import { renderReadings } from './readingReport.ts';
import { cell, counterexampleFacts, matrixLegend, noPaint, propertyName, verdictLine } from './report.ts';
import { reproduceCommand } from '../explore/reproduceCommand.ts';
import { diagramSteps } from './timelineSteps.ts';

/**
 * The summary words of a report: `6 designs, 31 violations, 0 mismatches` (`rows` names its
 * rows: `['trace file', 'trace files']` for check-trace). Pure.
 */
export function summaryWords(
  s: CheckReport['summary'],
  rows: readonly [string, string] = ['design', 'designs'],
): string {
  const plural = (n: number, word: string, many: string): string => `${n} ${n === 1 ? word : many}`;
  return [
    plural(s.designs, rows[0], rows[1]),
    plural(s.violations, 'violation', 'violations'),
    plural(s.mismatches, 'mismatch', 'mismatches'),
  ].join(', ');
}

/**
 * The page of a check's judged results. Pure; without `timing` the same results give the
 * same model.
 *
 * @example
 * renderHtmlReport(htmlOfCheck(results, readings, report, { seed: 1, timing: false }));
 */
export function htmlOfCheck(
  results: readonly DesignResult[],
  readings: readonly ReadingsResult[],
  report: CheckReport,
  header: { readonly seed: number; readonly timing: boolean; readonly python?: PythonVersion },
): HtmlReportModel {
  const paths = renderPaths(results, noPaint);
  const readingText = renderReadings(readings).replace(/^\n+/, '');
  return {
    title: `ws-lifecycle check (seed ${header.seed})`,
    about: [
      `seed ${header.seed}${header.python === undefined ? '' : `, python ${header.python}`}`,
      ...results.map((r) => `${r.name}: ${r.runs} runs x ${r.profiles.join(', ')}`),
    ],
    properties: properties.map((p) => ({ id: p.id, name: p.name })),
    rows: results.map((r) => ({
      name: r.name,
      matches: r.matches,
      cells: properties.map(({ id }) => {
        const p = r.properties.find((x) => x.id === id);
        return { id, text: cell(p), status: p?.status ?? 'not-applicable' };
      }),
    })),
    legend: matrixLegend,
    verdicts: results.map((r) => verdictLine(r, header.timing)),
    findings: results.flatMap((r) =>
      r.properties.flatMap((p) => {
        const cx = p.counterexample;
        if (cx === undefined) return [];
        return [
          {
            design: r.name,
            property: p.id,
            title: `${r.name}  ${p.id} ${propertyName(p.id)}${p.expected ? ' (expected)' : ''}`,
            facts: counterexampleFacts(cx, header.timing),
            message: cx.message,
            steps: diagramSteps(cx.timeline, cx.offending),
            reproduce: reproduceCommand(r.ref, cx, header.python),
          },
        ];
      }),
    ),
    sections: [
      ...(paths.length === 0 ? [] : [{ title: 'Paths', text: paths.join('\n').replace(/^\n+/, '') }]),
      ...(readingText === '' ? [] : [{ title: 'Readings', text: readingText }]),
    ],
    verdict: report.summary.verdict,
    summary: summaryWords(report.summary),
  };
}
