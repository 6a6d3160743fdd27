/**
 * `ws-lifecycle replay --design D --seed S --path P [--profile X] [--trace] [--trace-out FILE]`
 * and `ws-lifecycle replay FILE.json`: reproduces one explored run exactly (from a reproduce
 * line, or from a counterexample `check --out` saved) and prints its verdicts and the
 * timeline of every violation; for a saved one, also the verdict it was saved with and
 * whether its property still fails.
 */
import { parseArgs } from 'node:util';
import type { CorpusEntry } from '../explore/corpus.ts';
import { contextOf } from '../explore/explore.ts';
import { htmlOfReplay } from '../report/htmlOfReplay.ts';
import { renderHtmlReport } from '../report/htmlReport.ts';
import { propertyName } from '../report/report.ts';
import { replay, replayCorpusEntry, type Replayed } from '../explore/replay.ts';
import type { ExploreProfile } from '../explore/scenarioArb.ts';
import { cutTimeline, renderTimeline } from '../report/timeline.ts';
import { traceFileText } from '../trace/traceFile.ts';
import { traceFormatName, traceFormatVersion } from '../trace/traceFormat.ts';
import { withPython } from '../sim/python.ts';
import { serializeTrace } from '../sim/trace.ts';
import type { Design, PythonVersion } from '../sim/types.ts';
import { writeFileAtomic } from './atomicWrite.ts';
import type { Command, FlagTable } from './command.ts';
import { corpusDesignSpec, readCorpusFile } from './fixtureFiles.ts';
import { intFlag, maxRuns, profileFlag, pythonFlag, reportFlag, requiredFlag, seedBounds } from './flags.ts';
import type { Io } from './io.ts';
import { loadDesign } from '../design/loadDesign.ts';
import { checkOutFile } from './outputPaths.ts';
import { UsageError } from './usageError.ts';
import { exitCodes } from './exitCodes.ts';

const flags = {
  design: {
    type: 'string',
    value: 'NAME|PATH',
    description:
      "the design, as given to check (required without FILE; with FILE, replaces the file's design)",
  },
  seed: { type: 'string', value: 'S', description: 'the seed of the reproduce line (required without FILE)' },
  path: {
    type: 'string',
    value: 'P',
    description: 'the path of the reproduce line, e.g. 12:0:3 (required without FILE)',
  },
  profile: {
    type: 'string',
    value: 'P',
    description: 'the profile of the reproduce line (a saved FILE names its own)',
    defaultText: 'lan',
  },
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
} as const satisfies FlagTable;

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

/** Where the replayed run came from: a reproduce line's `{ seed, path }` or a corpus file. */
interface ReplaySource {
  readonly design: Design;
  /** How the design was named: a bundled name or a module path. */
  readonly ref: string;
  /** The Python version replayed, when not the default. */
  readonly python?: PythonVersion;
  readonly profile: ExploreProfile;
  readonly seed: number;
  readonly path: string;
  /** The saved counterexample, when replaying a corpus file. */
  readonly saved?: { readonly file: string; readonly entry: CorpusEntry };
}

/** The `--report html=FILE` of replay, checked writable; replay writes no other report kind. */
async function replayHtmlFile(values: readonly string[], cwd: string): Promise<string | undefined> {
  const reports = reportFlag(values);
  const other = reports.find((r) => r.kind !== 'html');
  if (other !== undefined)
    throw new UsageError(`replay writes only --report html=FILE; ${other.kind} reports come from check`);
  const html = reports.find((r) => r.kind === 'html')?.file ?? null;
  return html === null ? undefined : checkOutFile('--report html=', html, cwd);
}

/** The run of `FILE.json`: the entry, its design (or `--design`), on its Python version. */
async function fromFile(
  file: string,
  values: { readonly [flag: string]: unknown },
  io: Io,
): Promise<{ source: ReplaySource; replayed: Replayed }> {
  for (const flag of ['seed', 'path', 'profile', 'python'] as const) {
    if (values[flag] !== undefined) {
      throw new UsageError(
        `replay ${file} takes its --${flag} from the file; pass either FILE or --design D --seed S --path P`,
      );
    }
  }
  const { entry, dir } = await readCorpusFile(file, io.cwd);
  const spec = typeof values['design'] === 'string' ? values['design'] : corpusDesignSpec(dir, entry);
  // A bundled name is found from anywhere; a module path in the entry is already absolute.
  const { design, ref } = await loadDesign(spec, io.cwd);
  const replayed = await replayCorpusEntry(design, entry);
  const found = entry.python === undefined ? design : withPython(design, entry.python);
  return {
    source: {
      design: found,
      ref,
      ...(entry.python === undefined ? {} : { python: entry.python }),
      profile: entry.profile,
      seed: entry.seed,
      path: entry.path,
      saved: { file, entry },
    },
    replayed,
  };
}

/** The closing lines of a corpus replay: what was saved, and whether it still fails. Pure. */
function savedVerdictLines(saved: NonNullable<ReplaySource['saved']>, r: Replayed): string {
  const { entry } = saved;
  const name = `${entry.property} ${propertyName(entry.property)}`;
  const now = r.verdicts.find((v) => v.id === entry.property);
  const lines = [`saved: ${name} violated in ${entry.steps} steps: ${entry.message}`];
  if (now?.status === 'violated') lines.push(`now: ${name} STILL FAILS: ${now.message}`);
  else lines.push(`now: ${name} no longer fails (${now?.status ?? 'not judged'})`);
  return `\n${lines.join('\n')}\n`;
}

/**
 * Runs `replay`: `FILE.json` (a saved counterexample) or `--design D --seed S --path P`.
 * Writes to `io` (and `--trace-out`).
 *
 * @returns 1 when the reproduced run violates a property, 0 when it holds them all.
 * @throws UsageError, DesignLoadError, FixtureError for bad input (the caller exits 2).
 */
export async function replayCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: flags,
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 1) {
    throw new UsageError(
      `replay takes one saved counterexample, got ${positionals.length} files; replay them one by one`,
    );
  }
  // Output places are checked before the run: a write error must not come after it.
  const traceOut =
    values['trace-out'] === undefined
      ? undefined
      : await checkOutFile('--trace-out', values['trace-out'], io.cwd);
  const htmlFile = await replayHtmlFile(values.report ?? [], io.cwd);
  const file = positionals[0];
  const { source, replayed: r } =
    file === undefined ? await fromFlags(values, io) : await fromFile(file, values, io);
  const { design, seed, path, profile, saved } = source;
  const from = saved === undefined ? '' : ` (saved in ${saved.file})`;
  io.out(`replay ${design.name}: seed ${seed} path ${path} profile ${profile}${from}\n`);
  io.out(`scenario: ${JSON.stringify(r.scenario)}\n\n`);
  for (const v of r.verdicts) io.out(`  ${v.id.padEnd(4)} ${propertyName(v.id).padEnd(26)} ${v.status}\n`);
  for (const v of r.verdicts) {
    if (v.status !== 'violated') continue;
    io.out(
      `\n${v.id} ${propertyName(v.id)}: ${v.message}\n${renderTimeline(cutTimeline(r.run.trace, v.steps), v.steps)}\n`,
    );
  }
  if (saved !== undefined) io.out(savedVerdictLines(saved, r));
  if (values.trace === true) io.out(`\n${serializeTrace(r.run.trace)}\n`);
  if (htmlFile !== undefined) {
    const { ref, python } = source;
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
      meta: { seed, path, ...(saved === undefined ? {} : { corpusFile: saved.file }) },
    } as const;
    await writeFileAtomic(traceOut, traceFileText(header, r.run.trace));
    io.err(`trace written to ${values['trace-out']}\n`);
  }
  if (r.verdicts.some((v) => v.status === 'checker-error')) return exitCodes.checkerError;
  return r.verdicts.some((v) => v.status === 'violated') ? exitCodes.fail : exitCodes.pass;
}

/** The run of `--design D --seed S --path P [--profile X] [--python V]`. */
async function fromFlags(
  values: {
    readonly design?: string | undefined;
    readonly seed?: string | undefined;
    readonly path?: string | undefined;
    readonly profile?: string | undefined;
    readonly python?: string | undefined;
  },
  io: Io,
): Promise<{ source: ReplaySource; replayed: Replayed }> {
  const spec = requiredFlag('replay', 'design', values.design);
  const seed = intFlag('seed', requiredFlag('replay', 'seed', values.seed), seedBounds);
  const path = pathFlag(requiredFlag('replay', 'path', values.path));
  const profile = profileFlag(values.profile ?? 'lan');
  const { design: loaded, ref } = await loadDesign(spec, io.cwd);
  // --python 3.12: replay a run found by `check --python 3.12` (src/sim/python.ts).
  const python = values.python === undefined ? undefined : pythonFlag(values.python);
  const design = python === undefined ? loaded : withPython(loaded, python);
  const replayed = await replay(design, { seed, path, profile });
  return {
    source: { design, ref, ...(python === undefined ? {} : { python }), profile, seed, path },
    replayed,
  };
}

/** The `replay` command. */
export const replayCmd: Command = {
  name: 'replay',
  operands: '[FILE.json]',
  description: [
    'Regenerates the scenario fast-check made at { seed, path } for the profile, or reads the',
    'one a saved counterexample FILE.json holds (check --out, fixtures/counterexamples), runs it,',
    'and prints the scenario, the verdict of every property and the timeline of each violation;',
    'for a FILE, also the verdict it was saved with and whether its property still fails.',
    'Exit 1 when a property is violated, 0 when the run holds them all, 2 for a bad FILE.',
  ].join('\n'),
  flags,
  examples: [
    [
      'ws-lifecycle replay --design naive --seed 1 --path 1:0:0:0:1 --profile lan',
      'a line copied from check',
    ],
    ['ws-lifecycle replay --design ./my-design.ts --seed 7 --path 3:1 --trace', 'with the whole trace'],
    ['ws-lifecycle replay --design naive --seed 1 --path 3:0 --report html=run.html', 'the run as a page'],
    ['ws-lifecycle replay out/naive/P11-9633b08446.json', 'a counterexample saved by check --out out'],
  ],
  run: replayCommand,
};
