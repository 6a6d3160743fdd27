/**
 * `ws-lifecycle check-trace FILE... [--profile P] [--allow-unexercised] [--json] [--report
 * KIND=FILE]`: runs the properties on recorded trace files (the simulation's `replay
 * --trace-out`, the `ws` adapter, the Python ASGI recorder) and prints the same matrix and
 * findings as `check`; a trace on which nothing was exercised fails unless accepted.
 */
import { parseArgs } from 'node:util';
import { checkTraceFile } from '../judge/checkTraceFile.ts';
import { summaryWords } from '../report/htmlOfCheck.ts';
import { renderHtmlReport, type HtmlReportModel } from '../report/htmlReport.ts';
import { githubReport } from '../report/githubReport.ts';
import { junitReport } from '../report/junitReport.ts';
import { tapReport } from '../report/tapReport.ts';
import { properties } from '../properties/index.ts';
import { preconditionOf } from '../properties/index.ts';
import { cell, propertyName } from '../report/report.ts';
import { parseTraceFile, TraceFileError } from '../trace/traceFile.ts';
import { diagramSteps } from '../report/timelineSteps.ts';
import {
  findingEntries,
  findingTimeline,
  toTraceReport,
  type CheckedTrace,
  type CheckTraceReport,
  type TraceReportedDesign,
} from '../report/traceReport.ts';
import { profileFlag, reportFlag } from './flags.ts';
import type { Io } from './io.ts';
import { reportFlagSpec } from './reportOutputs.ts';
import type { Command, FlagTable } from './command.ts';
import { checkReportTargets, writeReports } from './reportOutputs.ts';
import { readInputFile } from './readInputFile.ts';
import { UsageError } from './usageError.ts';
import { exitCodes, verdictExit } from './exitCodes.ts';

function matrix(rows: readonly CheckedTrace[]): string {
  const nameWidth = Math.max(8, ...rows.map((r) => r.name.length)) + 2;
  const width = 4;
  const head = ''.padEnd(nameWidth) + properties.map((p) => p.id.padEnd(width)).join('');
  const lines = rows.map(
    (r) =>
      r.name.padEnd(nameWidth) +
      r.verdicts.map((v) => cell({ status: v.status, expected: false }).padEnd(width)).join(''),
  );
  return [head, ...lines].map((line) => line.trimEnd()).join('\n');
}

/** The one line of a trace on which no applicable property saw its precondition. */
function nothingLine(d: TraceReportedDesign): string {
  const what =
    d.coverageGaps.length === 0
      ? 'no property applies to it'
      : d.coverageGaps.map((id) => `${id} ${propertyName(id)} (${preconditionOf(id)})`).join('; ');
  const verdict = d.unexercisedFails
    ? 'nothing was proved: this fails the trace (--allow-unexercised accepts it)'
    : 'accepted by --allow-unexercised';
  return `  NOTHING EXERCISED: no applicable property saw its precondition: ${what}; ${verdict}`;
}

function summary(r: CheckedTrace, d: TraceReportedDesign): string {
  const { header, run } = r.file;
  const lines = [
    `${r.name}: ${header.source} trace of ${header.design.name} by ${header.recorder}, ${run.trace.length} entries; ` +
      (d.unexpected.length === 0 ? 'no violation' : `violated ${d.unexpected.join(', ')}`),
  ];
  for (const v of r.verdicts) {
    if (v.status === 'not-applicable') lines.push(`  n/a ${v.id} ${propertyName(v.id)}: ${v.message}`);
    if (v.status === 'checker-error')
      lines.push(
        `  CHECKER ERROR: ${v.id} ${propertyName(v.id)} was not judged: ${v.message}; not charged to the trace`,
      );
  }
  if (d.unexercisedFails || d.unexercisedAccepted) lines.push(nothingLine(d));
  else {
    for (const id of d.coverageGaps) {
      lines.push(
        `  never exercised: ${id} ${propertyName(id)}, the trace never had ${preconditionOf(id)} (not counted: other properties were exercised)`,
      );
    }
  }
  return lines.join('\n');
}

const legend =
  'ok held, X violated, nc: precondition never exercised; -: does not apply to this trace (reason below)';

/** The HTML page of the trace files' verdicts: the text report's matrix and findings, drawn. Pure. */
function htmlModel(rows: readonly CheckedTrace[], report: CheckTraceReport): HtmlReportModel {
  const { profile } = report;
  return {
    title: `ws-lifecycle check-trace: ${rows.length} file(s)`,
    about: profile === null ? [] : [`profile ${profile}`],
    properties: properties.map((p) => ({ id: p.id, name: p.name })),
    rows: rows.map((r, k) => ({
      name: r.name,
      matches: report.designs[k]?.matches ?? false,
      cells: r.verdicts.map((v) => ({
        id: v.id,
        text: cell({ status: v.status, expected: false }),
        status: v.status,
      })),
    })),
    legend,
    verdicts: rows.map((r, k) => summary(r, report.designs[k] as TraceReportedDesign)),
    sections: [],
    findings: rows.flatMap((r) =>
      r.verdicts.flatMap((v) => {
        if (v.status !== 'violated') return [];
        const { entries, skipped } = findingEntries(r, v);
        return [
          {
            design: r.name,
            property: v.id,
            title: `${r.name}  ${v.id} ${propertyName(v.id)}`,
            message: v.message,
            ...(skipped === '' ? {} : { skipped: skipped.trim() }),
            steps: diagramSteps(entries, v.steps),
          },
        ];
      }),
    ),
    verdict: report.summary.verdict,
    summary: summaryWords(report.summary, ['trace file', 'trace files']),
  };
}

function textReport(rows: readonly CheckedTrace[], report: CheckTraceReport): string {
  const { profile } = report;
  const out = [
    `ws-lifecycle check-trace: ${rows.length} file(s)${profile === null ? '' : `, profile ${profile}`}`,
    '',
    matrix(rows),
    '',
    `legend: ${legend}`,
    '',
    ...rows.map((r, k) => summary(r, report.designs[k] as TraceReportedDesign)),
  ];
  for (const r of rows) {
    for (const v of r.verdicts) {
      if (v.status !== 'violated') continue;
      out.push('', `${r.name}  ${v.id} ${propertyName(v.id)}`, `  ${v.message}`, findingTimeline(r, v));
    }
  }
  return `${out.join('\n')}\n`;
}

const flags = {
  profile: {
    type: 'string',
    value: 'P',
    description: 'the profile the recording ran under (P14 is judged under lan only)',
    defaultText: "the trace header's profile",
  },
  'allow-unexercised': {
    type: 'boolean',
    description:
      'accept a trace on which no applicable property saw its precondition (exit 0, the report says it was accepted)',
  },
  json: { type: 'boolean', description: 'print only the report as JSON on stdout' },
  report: reportFlagSpec,
} as const satisfies FlagTable;

/**
 * Runs `check-trace`. Reads the files, writes the report to `io` (and to the `--report` files).
 *
 * @returns 0 every applicable property held and at least one was exercised (or
 *   `--allow-unexercised`), 1 a violation or nothing exercised, 2 a malformed trace (one line
 *   `file:line: reason` on stderr), 3 a checker threw (exitCodes.ts).
 * @throws UsageError for bad flags, no file or an unwritable report file (the caller exits 2).
 */
export async function checkTraceCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: flags,
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length === 0) {
    throw new UsageError(
      'check-trace needs at least one trace file, e.g. ws-lifecycle check-trace run.jsonl',
    );
  }
  const profile = values.profile === undefined ? undefined : profileFlag(values.profile);
  const reports = reportFlag(values.report ?? []);
  const json = values.json === true;
  const reportTargets = await checkReportTargets(reports, { json, folders: [] }, io.cwd);
  const rows: CheckedTrace[] = [];
  // Wall-clock ms of reading and checking each file: the time of its JUnit suite.
  const elapsedMs: number[] = [];
  for (const name of positionals) {
    const started = performance.now();
    const read = await readInputFile(name, io.cwd);
    if (!read.ok) throw new UsageError(`cannot read trace file ${name}: ${read.why}`);
    try {
      const file = parseTraceFile(read.text, name);
      rows.push({ name, file, verdicts: checkTraceFile(file, profile) });
      elapsedMs.push(performance.now() - started);
    } catch (error) {
      if (!(error instanceof TraceFileError)) throw error;
      io.err(`ws-lifecycle: ${error.message}\n`);
      return exitCodes.badInput;
    }
  }
  const report = toTraceReport(rows, {
    profile: profile ?? null,
    allowUnexercised: values['allow-unexercised'] === true,
  });
  const jsonText = `${JSON.stringify(report, null, 2)}\n`;
  io.out(json ? jsonText : textReport(rows, report));
  const timed = { designs: report.designs.map((d, k) => ({ ...d, elapsedMs: elapsedMs[k] })) };
  await writeReports(
    reportTargets,
    {
      json: () => jsonText,
      junit: () => junitReport(timed, 'ws-lifecycle check-trace'),
      tap: () => tapReport(timed),
      github: () => githubReport(report),
      html: () => renderHtmlReport(htmlModel(rows, report)),
    },
    io,
  );
  return verdictExit(report.summary.verdict);
}

/** The `check-trace` command. */
export const checkTraceCmd: Command = {
  name: 'check-trace',
  operands: 'FILE...',
  description: [
    'Runs every property that applies to JSON-lines trace files recorded anywhere: replay',
    '--trace-out, the ws adapter, the Python',
    'ASGI recorder (docs/trace.md). Prints the matrix and findings of check. Exit 0 when every',
    'applicable property held and at least one saw its precondition; 1 on a violation, or when',
    'no applicable property was exercised (every cell nc: nothing was proved) unless',
    '--allow-unexercised; 2 on a malformed trace (file:line: what is wrong).',
  ].join('\n'),
  flags,
  examples: [
    ['ws-lifecycle check-trace run.jsonl', 'a trace recorded by the ws adapter or the ASGI recorder'],
    [
      'ws-lifecycle replay --design naive --seed 1 --path 3:0 --trace-out t.jsonl',
      'then check-trace t.jsonl',
    ],
    ['ws-lifecycle check-trace run.jsonl --report junit=out/junit.xml', 'JUnit XML for CI'],
    ['ws-lifecycle check-trace idle.jsonl --allow-unexercised', 'a trace that is allowed to show nothing'],
  ],
  run: checkTraceCommand,
};
