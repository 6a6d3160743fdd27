/**
 * `ws-lifecycle replay --design D --seed S --path P [--profile X] [--trace] [--trace-out FILE]`: reproduces one
 * explored run exactly and prints its verdicts and the timeline of every violation.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { contextOf } from '../check/explore.ts';
import { htmlOfReplay } from '../check/htmlOfReplay.ts';
import { renderHtmlReport } from '../check/htmlReport.ts';
import { propertyName } from '../check/report.ts';
import { replay } from '../check/replay.ts';
import { cutTimeline, renderTimeline } from '../check/timeline.ts';
import { traceFileText } from '../check/traceFile.ts';
import { traceFormatName, traceFormatVersion } from '../check/traceFormat.ts';
import { withPython } from '../sim/python.ts';
import { serializeTrace } from '../sim/trace.ts';
import { parseFlags, type Command } from './command.ts';
import { intFlag, maxRuns, profileFlag, pythonFlag, reportFlag, requiredFlag, seedBounds } from './flags.ts';
import type { Io } from './io.ts';
import { loadDesign } from './loadDesign.ts';
import { writeFileAtomic } from './atomicWrite.ts';
import { checkOutFile } from './outputPaths.ts';
import { UsageError } from './usageError.ts';

const flags = {
  design: { type: 'string', value: 'NAME|PATH', description: 'the design, as given to check (required)' },
  seed: { type: 'string', value: 'S', description: 'the seed of the reproduce line (required)' },
  path: { type: 'string', value: 'P', description: 'the path of the reproduce line, e.g. 12:0:3 (required)' },
  profile: { type: 'string', value: 'P', description: 'the profile of the reproduce line', default: 'lan' },
  trace: { type: 'boolean', description: 'also print every trace entry, one JSON line each' },
  'trace-out': {
    type: 'string',
    value: 'FILE',
    description: 'write the run as a trace file (docs/trace.md) that check-trace judges',
  },
  report: {
    type: 'string',
    multiple: true,
    value: 'html=FILE',
    description: 'also write the run as an HTML page with a sequence diagram per violation',
  },
  python: {
    type: 'string',
    value: '3.11|3.12',
    description: 'the Python version a handler design runs on (as given to check)',
    defaultText: '3.11',
  },
} as const;

/** Longest `--path` accepted, in segments: fast-check's shrink paths are far shorter. */
export const maxPathSegments = 10_000;

/**
 * Validates a fast-check path: `run:shrink:shrink...`, each a decimal integer up to the
 * `--runs` bound, at most `maxPathSegments` of them. Pure.
 *
 * @throws UsageError on a malformed or oversized path.
 * @example
 * pathFlag('12:0:3'); // '12:0:3'
 */
export function pathFlag(path: string): string {
  if (!/^\d+(:\d+)*$/.test(path)) {
    throw new UsageError(`--path must look like 12:0:3, got "${path}"; copy it from the reproduce line`);
  }
  const parts = path.split(':');
  if (parts.length > maxPathSegments || parts.some((p) => p.length > 8 || Number(p) > maxRuns)) {
    throw new UsageError(
      `--path ${path.length > 40 ? `${path.slice(0, 40)}...` : path} is out of range (each number at most ${maxRuns}, at most ${maxPathSegments} numbers); copy it from the reproduce line`,
    );
  }
  return path;
}

/** The `--report html=FILE` of replay, checked writable; replay writes no other report kind. */
async function replayHtmlFile(values: readonly string[], cwd: string): Promise<string | undefined> {
  const reports = reportFlag(values);
  const other = reports.find((r) => r.kind !== 'html');
  if (other !== undefined)
    throw new UsageError(`replay writes only --report html=FILE; ${other.kind} reports come from check`);
  const html = reports.find((r) => r.kind === 'html')?.file ?? undefined;
  return html === undefined || html === null ? undefined : checkOutFile('--report html=', html, cwd);
}

/**
 * Runs `replay`. Writes to `io`.
 *
 * @returns 1 when the reproduced run violates a property, 0 when it holds them all.
 * @throws UsageError, DesignLoadError for bad input (the caller exits 2).
 */
export async function replayCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseFlags(flags, args);
  const spec = requiredFlag('replay', 'design', values.design);
  const seed = intFlag('seed', requiredFlag('replay', 'seed', values.seed), seedBounds);
  const path = pathFlag(requiredFlag('replay', 'path', values.path));
  const profile = profileFlag(values.profile);
  const htmlFile = await replayHtmlFile(values.report ?? [], io.cwd);
  const { design: loaded, ref } = await loadDesign(spec, io.cwd);
  // --python 3.12: replay a run found by `check --python 3.12` (src/sim/python.ts).
  const python = values.python === undefined ? undefined : pythonFlag(values.python);
  const design = python === undefined ? loaded : withPython(loaded, python);
  const r = await replay(design, { seed, path, profile });
  io.out(`replay ${design.name}: seed ${seed} path ${path} profile ${profile}\n`);
  io.out(`scenario: ${JSON.stringify(r.scenario)}\n\n`);
  for (const v of r.verdicts) io.out(`  ${v.id.padEnd(4)} ${propertyName(v.id).padEnd(26)} ${v.status}\n`);
  for (const v of r.verdicts) {
    if (v.status !== 'violated') continue;
    io.out(
      `\n${v.id} ${propertyName(v.id)}: ${v.message}\n${renderTimeline(cutTimeline(r.run.trace, v.steps), v.steps)}\n`,
    );
  }
  if (values.trace === true) io.out(`\n${serializeTrace(r.run.trace)}\n`);
  if (htmlFile !== undefined) {
    const where = {
      name: design.name,
      ref,
      seed,
      path,
      profile,
      ...(python === undefined ? {} : { python }),
    };
    await writeFileAtomic(htmlFile, renderHtmlReport(htmlOfReplay(r, where)));
  }
  const traceOut = values['trace-out'];
  if (traceOut !== undefined) {
    // The trace file format of docs/trace.md, so `check-trace` judges it like a real recording.
    const header = {
      format: traceFormatName,
      version: traceFormatVersion,
      source: 'simulation',
      recorder: 'ws-lifecycle replay',
      design: contextOf(design, profile).design,
      profile,
      config: r.run.config,
      meta: { seed, path },
    } as const;
    await writeFile(resolve(io.cwd, traceOut), traceFileText(header, r.run.trace));
    io.err(`trace written to ${traceOut}\n`);
  }
  return r.verdicts.some((v) => v.status === 'violated') ? 1 : 0;
}

/** The `replay` command. */
export const replayCmd: Command = {
  name: 'replay',
  description: [
    'Regenerates the scenario fast-check made at { seed, path } for the profile, runs it, and',
    'prints the scenario, the verdict of every property and the timeline of each violation.',
    'Exit 1 when a property is violated, 0 when the run holds them all.',
  ].join('\n'),
  flags,
  examples: [
    [
      'ws-lifecycle replay --design naive --seed 1 --path 1:0:0:0:1 --profile lan',
      'a line copied from check',
    ],
    ['ws-lifecycle replay --design ./my-design.ts --seed 7 --path 3:1 --trace', 'with the whole trace'],
    ['ws-lifecycle replay --design naive --seed 1 --path 3:0 --report html=run.html', 'the run as a page'],
  ],
  run: replayCommand,
};
