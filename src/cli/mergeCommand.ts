/**
 * `ws-lifecycle merge SHARD.json...`: combines the shard reports of `check --shard i/n --json`
 * into the report one `check` without `--shard` would print (text, or `--json`).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { judgePlan, planJobs } from '../judge/judgePlan.ts';
import { runawayLines } from '../pool/runawayLines.ts';
import { mergeShards } from '../judge/shardReport.ts';
import { summaryLine } from '../report/report.ts';
import { checkOutput, writeCheckReports } from './checkOutput.ts';
import { paintFor } from './colors.ts';
import type { Command } from './command.ts';
import { reportFlag } from './flags.ts';
import type { Io } from './io.ts';
import { checkReportTargets, reportFlagSpec } from './reportOutputs.ts';
import { UsageError } from './usageError.ts';
import { verdictExit } from './exitCodes.ts';

const mergeFlags = {
  json: { type: 'boolean', description: 'print only the merged report as JSON on stdout' },
  timing: { type: 'boolean', description: 'add wall-clock figures to the report (not byte-stable)' },
  report: reportFlagSpec,
} as const;

/**
 * Runs `merge`. Reads the shard files.
 *
 * @returns 0 when every design matches its expectation, 1 otherwise (as `check`).
 * @throws UsageError for a missing, unreadable or mismatched shard file (the caller exits 2).
 */
export async function mergeCommand(args: readonly string[], io: Io): Promise<number> {
  const started = performance.now();
  // The shard files are positional arguments, which the flag tables of other commands refuse.
  const { values, positionals } = parseArgs({
    args: [...args],
    options: mergeFlags,
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length === 0)
    throw new UsageError('merge needs shard reports: ws-lifecycle merge s1.json s2.json');
  const json = values.json === true;
  const reportTargets = await checkReportTargets(
    reportFlag(values.report ?? []),
    { json, folders: [] },
    io.cwd,
  );
  const docs: { file: string; doc: unknown }[] = [];
  for (const file of positionals) {
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, file), 'utf8');
    } catch (e) {
      throw new UsageError(
        `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'}); give the files check --shard i/n --json wrote`,
      );
    }
    try {
      docs.push({ file, doc: JSON.parse(text) as unknown });
    } catch {
      throw new UsageError(`${file} is not JSON; give the files check --shard i/n --json wrote`);
    }
  }
  const merged = mergeShards(docs);
  if (typeof merged === 'string') throw new UsageError(merged);
  const settings = { ...merged.settings, cwd: io.cwd };
  const { results, readings, runaways, errors } = judgePlan(merged.plan, merged.outcomes, settings);
  const paint = paintFor(io);
  const header = {
    seed: settings.seed,
    timing: values.timing === true,
    ...(settings.python === undefined ? {} : { python: settings.python }),
  };
  const output = checkOutput(results, readings, header, paint, io);
  const { report, jsonText, text } = output;
  io.out(json ? jsonText : text);
  await writeCheckReports(reportTargets, results, readings, header, output, io);
  const unfinished = planJobs(merged.plan, settings).filter((_, i) => merged.outcomes[i] === undefined);
  (json ? io.err : io.out)(runawayLines(runaways, errors, unfinished, null, settings.python));
  const notJudged = runaways.length + errors.length + unfinished.length;
  const summary = summaryLine(report, performance.now() - started, json ? undefined : paint, notJudged);
  if (json) io.err(`${summary}\n`);
  else io.out(`\n${summary}\n`);
  return verdictExit(report.summary.verdict, notJudged);
}

/** The `merge` command. */
export const mergeCmd: Command = {
  name: 'merge',
  description: [
    'Combines the shard reports written by check --shard i/n --json (one per shard, every shard',
    'of one check) into the report that check without --shard prints: the same matrix, readings',
    'and exit code. Give the shard files as arguments.',
  ].join('\n'),
  flags: mergeFlags,
  examples: [
    ['ws-lifecycle merge s1.json s2.json', 'the text report of a check run as two shards'],
    ['ws-lifecycle merge --json s1.json s2.json > report.json', 'the JSON report'],
    ['ws-lifecycle merge s1.json s2.json --report html=report.html', 'and the HTML page'],
    ['ws-lifecycle merge s1.json s2.json --report junit=junit.xml --report github', 'reports for CI'],
  ],
  run: mergeCommand,
};
