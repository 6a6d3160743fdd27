/**
 * What `ws-lifecycle drive` prints: the text report (each finding with the message and
 * timeline check-trace prints, the client actions, the reproduce line and how often re-runs
 * reproduced it) and the JSON report. Pure.
 */
import { shellWord } from '../explore/reproduceCommand.ts';
import { propertyName } from '../report/report.ts';
import { findingTimeline, findingTimelineJson } from '../report/traceReport.ts';
import { describeScenario } from '../drive/scenario.ts';
import type { DriveFinding, DriveOptions, DriveResult } from './driveRun.ts';

/** The command line that plays a finding's run again. Pure. */
export function driveReproduceCommand(options: DriveOptions, run: number): string {
  const server = options.server === null ? '' : ` --server ${shellWord(options.server)}`;
  return `ws-lifecycle drive ${shellWord(options.url)} --trace ${shellWord(options.traceName)}${server} --seed ${options.seed} --run ${run}`;
}

/** `reproduced 3 of 5 re-runs`, or why there were none. Pure. */
export function reproducedLine(f: DriveFinding, asked: number): string {
  if (asked === 0) return 'not re-run (--reruns 0)';
  const cut = f.rerunsPlayed < asked ? ` (time limit: ${f.rerunsPlayed} of ${asked} played)` : '';
  const kind = f.reproduced === f.reproducedKind ? '' : `, the same kind in ${f.reproducedKind}`;
  const carried =
    f.carriedOnly === 0
      ? ''
      : `; ${f.carriedOnly} more violated it only through a connection an earlier run left on the server`;
  return `reproduced ${f.reproduced} of ${f.rerunsPlayed} re-runs${kind}${carried}${cut}`;
}

/**
 * The server's `i` of the call that raised this finding's exception when that call belongs
 * to an earlier run (its connection outlived its run on the server), else null. Pure.
 */
export function carriedOverFrom(f: DriveFinding): number | null {
  const entry = f.violation.checked.file.run.trace[f.violation.verdict.steps[0] ?? -1];
  const from = entry?.detail?.['raisedByOutsideRun'];
  return typeof from === 'number' ? from : null;
}

function findingText(options: DriveOptions, result: DriveResult, f: DriveFinding): string[] {
  const others =
    f.runs.length > 1 ? `; seen in ${f.runs.length} of ${result.runsPlayed} runs (${f.runs.join(', ')})` : '';
  const lines = [
    `FINDING ${f.id} ${propertyName(f.id)} in run ${f.run} (seed ${options.seed})${others}`,
    `  ${f.violation.verdict.message}`,
    findingTimeline(f.violation.checked, f.violation.verdict),
    ...(carriedOverFrom(f) === null
      ? []
      : [
          `  the call that raised it is entry ${carriedOverFrom(f)} of ${options.traceName}, on a connection of an earlier run: the server kept it after its run ended`,
        ]),
    `  client actions of run ${f.run}:`,
    ...describeScenario(f.scenario).map((l) => `    ${l}`),
  ];
  if (f.shrunk !== null) {
    lines.push(
      `  shrunk to ${f.shrunk.actions.length} of ${f.scenario.actions.length} actions (still violated in 2 of 3 tries):`,
      ...describeScenario(f.shrunk).map((l) => `    ${l}`),
    );
  }
  lines.push(
    `  reproduce: ${driveReproduceCommand(options, f.run)}`,
    `  ${reproducedLine(f, options.reruns)} (a live finding is evidence, not a replay: the server's scheduling differs per run)`,
  );
  return lines;
}

/** The text report of a drive. Pure. */
export function driveText(options: DriveOptions, result: DriveResult): string {
  const seconds = (result.elapsedMs / 1000).toFixed(1);
  const tally = [...result.tally.entries()]
    .filter(([, t]) => t.held + t.violated > 0)
    .map(([id, t]) => `${id} ${t.violated > 0 ? `violated ${t.violated}, ` : ''}held ${t.held}`);
  const stopped = result.stoppedBy === 'time' ? ' (time limit reached)' : '';
  const out = [
    `ws-lifecycle drive ${options.url}: seed ${options.seed}, trace ${options.traceName} (${result.design} by ${result.recorder})`,
    `${result.runsPlayed} run(s)${stopped}, ${result.connections} connection(s), ${result.messages} message(s), ${result.entries} trace entries judged, ${seconds} s`,
    `runs per property: ${tally.length === 0 ? 'no property saw its precondition in any run' : tally.join('; ')}`,
  ];
  for (const f of result.findings) out.push('', ...findingText(options, result, f));
  const found = result.findings.map((f) => `${f.id} (${reproducedLine(f, options.reruns)})`);
  if (result.lateEntries > 0) {
    out.push(
      '',
      `${result.lateEntries} trace entries of connections of earlier runs were written after their run was judged (left out; a longer --settle-ms waits for them)`,
    );
  }
  out.push('', found.length === 0 ? 'no finding' : `${found.length} finding(s): ${found.join(', ')}`);
  return `${out.join('\n')}\n`;
}

/** The JSON report of a drive. Pure. */
export function driveJson(options: DriveOptions, result: DriveResult): unknown {
  return {
    url: options.url,
    trace: options.traceName,
    seed: options.seed,
    runs: result.runsPlayed,
    stoppedBy: result.stoppedBy,
    elapsedMs: Math.round(result.elapsedMs),
    recorder: result.recorder,
    design: result.design,
    connections: result.connections,
    messages: result.messages,
    entries: result.entries,
    lateEntries: result.lateEntries,
    properties: Object.fromEntries(result.tally),
    findings: result.findings.map((f) => ({
      property: f.id,
      name: propertyName(f.id),
      message: f.violation.verdict.message,
      run: f.run,
      runs: f.runs,
      reruns: f.rerunsPlayed,
      reproduced: f.reproduced,
      reproducedKind: f.reproducedKind,
      carriedOnly: f.carriedOnly,
      kind: f.kind,
      reproduce: driveReproduceCommand(options, f.run),
      carriedOverFrom: carriedOverFrom(f),
      actions: describeScenario(f.scenario),
      ...(f.shrunk === null ? {} : { shrunkActions: describeScenario(f.shrunk) }),
      ...findingTimelineJson(f.violation.checked, f.violation.verdict),
    })),
    verdict: result.findings.length === 0 ? 'pass' : 'fail',
  };
}
