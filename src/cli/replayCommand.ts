/**
 * `ws-lifecycle replay --design D --seed S --path P [--profile X] [--trace] [--trace-out FILE]`: reproduces one
 * explored run exactly and prints its verdicts and the timeline of every violation.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { contextOf } from '../check/explore.ts';
import { propertyName } from '../check/report.ts';
import { replay } from '../check/replay.ts';
import { cutTimeline, renderTimeline } from '../check/timeline.ts';
import { traceFileText } from '../check/traceFile.ts';
import { traceFormatName, traceFormatVersion } from '../check/traceFormat.ts';
import { serializeTrace } from '../sim/trace.ts';
import { intFlag, profileFlag, requiredFlag, pythonFlag } from './flags.ts';
import type { Io } from './io.ts';
import { loadDesign } from './loadDesign.ts';
import { withPython } from '../sim/python.ts';
import { UsageError } from './usageError.ts';

/**
 * Runs `replay`. Writes to `io`.
 *
 * @returns 1 when the reproduced run violates a property, 0 when it holds them all.
 * @throws UsageError, DesignLoadError for bad input (the caller exits 2).
 */
export async function replayCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      design: { type: 'string' },
      seed: { type: 'string' },
      path: { type: 'string' },
      profile: { type: 'string' },
      trace: { type: 'boolean', default: false },
      'trace-out': { type: 'string' },
      python: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const spec = requiredFlag('replay', 'design', values.design);
  const seed = intFlag('seed', requiredFlag('replay', 'seed', values.seed), {
    min: -2147483648,
    max: 2147483647,
  });
  const path = requiredFlag('replay', 'path', values.path);
  if (!/^\d+(:\d+)*$/.test(path))
    throw new UsageError(`--path must look like 12:0:3, got "${path}"; copy it from the reproduce line`);
  const profile = profileFlag(values.profile ?? 'lan');
  const loaded = (await loadDesign(spec, io.cwd)).design;
  // --python 3.12: replay a run found by `check --python 3.12` (src/sim/python.ts).
  const design = values.python === undefined ? loaded : withPython(loaded, pythonFlag(values.python));
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
  if (values.trace) io.out(`\n${serializeTrace(r.run.trace)}\n`);
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
