/**
 * `ws-lifecycle check-trace FILE... [--profile P]`: runs the properties on recorded trace
 * files (the simulation's `replay --trace-out`, the `ws` adapter, the Python ASGI recorder)
 * and prints the same matrix and findings as `check`.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkTraceFile } from '../check/checkTraceFile.ts';
import { properties } from '../check/properties/index.ts';
import type { PropertyVerdict } from '../check/propertyTypes.ts';
import { cell, propertyName } from '../check/report.ts';
import { cutTimeline, renderTimeline } from '../check/timeline.ts';
import { parseTraceFile, TraceFileError, type TraceFile } from '../check/traceFile.ts';
import { profileFlag } from './flags.ts';
import type { Io } from './io.ts';
import type { Command } from './command.ts';
import { UsageError } from './usageError.ts';

interface Checked {
  readonly name: string;
  readonly file: TraceFile;
  readonly verdicts: readonly PropertyVerdict[];
}

function matrix(rows: readonly Checked[]): string {
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

function summary(r: Checked): string {
  const { header, run } = r.file;
  const violated = r.verdicts.filter((v) => v.status === 'violated').map((v) => v.id);
  const lines = [
    `${r.name}: ${header.source} trace of ${header.design.name} by ${header.recorder}, ${run.trace.length} entries; ` +
      (violated.length === 0 ? 'no violation' : `violated ${violated.join(', ')}`),
  ];
  for (const v of r.verdicts) {
    if (v.status === 'not-applicable') lines.push(`  n/a ${v.id} ${propertyName(v.id)}: ${v.message}`);
  }
  return lines.join('\n');
}

/** Most timeline lines shown for a finding in a real trace (the earlier ones are counted). */
const realTimelineLines = 40;

function finding(r: Checked, v: PropertyVerdict): string {
  const { trace } = r.file.run;
  let timeline = cutTimeline(trace, v.steps);
  let skipped = '';
  if (r.file.header.source === 'real') {
    // A real recording interleaves every connection: keep the offending one (and run-wide
    // entries), and its last steps.
    const conn = trace[v.steps[0] ?? -1]?.conn ?? null;
    timeline = timeline.filter((e) => e.conn === conn || e.conn === null);
    const extra = timeline.length - realTimelineLines;
    if (extra > 0) {
      skipped = `  ... ${extra} earlier steps of ${conn ?? 'the run'}\n`;
      timeline = timeline.slice(extra);
    }
  }
  return [
    `${r.name}  ${v.id} ${propertyName(v.id)}`,
    `  ${v.message}`,
    skipped + renderTimeline(timeline, v.steps),
  ].join('\n');
}

/**
 * Runs `check-trace`. Reads the files, writes the report to `io`.
 *
 * @returns 0 every applicable property held, 1 a violation, 2 a malformed trace (one line
 *   `file:line: reason` on stderr).
 * @throws UsageError for bad flags or no file (the caller exits 2).
 */
export async function checkTraceCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { profile: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length === 0) {
    throw new UsageError(
      'check-trace needs at least one trace file, e.g. ws-lifecycle check-trace run.jsonl',
    );
  }
  const profile = values.profile === undefined ? undefined : profileFlag(values.profile);
  const rows: Checked[] = [];
  for (const name of positionals) {
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, name), 'utf8');
    } catch (error) {
      throw new UsageError(
        `cannot read trace file ${name} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    try {
      const file = parseTraceFile(text, name);
      rows.push({ name, file, verdicts: checkTraceFile(file, profile) });
    } catch (error) {
      if (!(error instanceof TraceFileError)) throw error;
      io.err(`ws-lifecycle: ${error.message}\n`);
      return 2;
    }
  }
  const out = [
    `ws-lifecycle check-trace: ${rows.length} file(s)${profile === undefined ? '' : `, profile ${profile}`}`,
    '',
    matrix(rows),
    '',
    'legend: no-cov: precondition never exercised; n/a: does not apply to this trace (reason below)',
    '',
    ...rows.map(summary),
  ];
  for (const r of rows) {
    for (const v of r.verdicts) if (v.status === 'violated') out.push('', finding(r, v));
  }
  io.out(`${out.join('\n')}\n`);
  return rows.some((r) => r.verdicts.some((v) => v.status === 'violated')) ? 1 : 0;
}

/** The `check-trace` command. */
export const checkTraceCmd: Command = {
  name: 'check-trace',
  description: [
    'Runs every property that applies to JSON-lines trace files recorded anywhere: replay',
    '--trace-out, the ws adapter, the Python ASGI recorder (docs/trace.md). Prints the matrix',
    'and findings of check. Exit 0 when every applicable property held, 1 on a violation, 2 on',
    'a malformed trace (file:line).',
  ].join('\n'),
  flags: {
    profile: {
      type: 'string',
      value: 'P',
      description: 'the profile the recording ran under (P14 is judged under lan only)',
      defaultText: "the trace header's profile",
    },
  },
  examples: [
    ['ws-lifecycle check-trace run.jsonl', 'a trace recorded by the ws adapter or the ASGI recorder'],
    [
      'ws-lifecycle replay --design naive --seed 1 --path 3:0 --trace-out t.jsonl',
      'then check-trace t.jsonl',
    ],
  ],
  run: checkTraceCommand,
};
