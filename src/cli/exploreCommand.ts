/**
 * `ws-lifecycle explore`: exhaustive bounded exploration of a reducer design over K
 * connections (src/check/exhaustive.ts), or `--replay PATH` of one explored path.
 */
import { parseArgs } from 'node:util';
import { checkTrace } from '../check/checkTrace.ts';
import { exhaustiveConfig } from '../check/exhaustive.ts';
import { exploreExhaustiveIsolated } from '../check/parallel/isolatedExhaustive.ts';
import { parsePath, replayPath } from '../check/exhaustive/pathReplay.ts';
import { exhaustiveJson, renderExhaustive, type ExhaustiveBounds } from '../check/exhaustiveReport.ts';
import { cutTimeline, renderTimeline } from '../check/timeline.ts';
import type { LifecycleConfig } from '../core/types.ts';
import type { ReducerDesign } from '../sim/types.ts';
import { intFlag } from './flags.ts';
import type { Io } from './io.ts';
import { loadDesign } from './loadDesign.ts';
import { UsageError } from './usageError.ts';

const reductions = ['all', 'symmetry', 'por', 'none'] as const;

/**
 * Runs `explore`. Writes the report to `io`; progress to stderr when it is a terminal.
 *
 * @returns 1 when a property broke or the state cap cut the exploration short (unless
 *   `--allow-truncated`), 0 otherwise.
 * @throws UsageError, DesignLoadError for bad input (the caller exits 2).
 */
export async function exploreCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      design: { type: 'string', default: 'reference' },
      connections: { type: 'string', default: '2' },
      'max-emits': { type: 'string', default: '3' },
      broadcasts: { type: 'string', default: '1' },
      capacity: { type: 'string', default: '2' },
      'max-states': { type: 'string', default: '1000000' },
      depth: { type: 'string' },
      reduction: { type: 'string', default: 'all' },
      replay: { type: 'string' },
      json: { type: 'boolean', default: false },
      'allow-truncated': { type: 'boolean', default: false },
      'step-time-limit': { type: 'string', default: '5000' },
      'memory-limit': { type: 'string', default: '4096' },
    },
    strict: true,
    allowPositionals: false,
  });
  const connections = intFlag('connections', values.connections, { min: 1, max: 3 });
  const maxEmits = intFlag('max-emits', values['max-emits'], { min: 0, max: 12 });
  const broadcasts = intFlag('broadcasts', values.broadcasts, { min: 0, max: 6 });
  const capacity = intFlag('capacity', values.capacity, { min: 1, max: 12 });
  const maxStates = intFlag('max-states', values['max-states'], { min: 1, max: 200_000_000 });
  const maxDepth =
    values.depth === undefined ? null : intFlag('depth', values.depth, { min: 1, max: 10_000 });
  const limits = {
    runMs: intFlag('step-time-limit', values['step-time-limit'], { min: 10, max: 3_600_000 }),
    memoryMb: intFlag('memory-limit', values['memory-limit'], { min: 64, max: 65_536 }),
  };
  const reduction = reductions.find((r) => r === values.reduction);
  if (reduction === undefined) {
    throw new UsageError(`--reduction must be one of ${reductions.join(', ')}, got "${values.reduction}"`);
  }
  const { design, ref } = await loadDesign(values.design, io.cwd);
  if (design.kind !== 'reducer') {
    throw new UsageError(
      `explore needs a reducer design, and ${design.name} is a handler design; use check for it`,
    );
  }
  const config = exhaustiveConfig(capacity);
  const bounds: ExhaustiveBounds = {
    design: ref,
    connections,
    maxEmits,
    broadcasts: connections > 1 ? broadcasts : 0,
    capacity,
    maxInFlight: config.maxInFlight,
    maxStates,
    maxDepth,
    reduction,
  };
  if (values.replay !== undefined) return replay(design, config, bounds, values.replay, io);

  const started = performance.now();
  const showProgress = io.errIsTTY && !values.json;
  // In a worker: a design step that never returns is reported, not waited for.
  const outcome = await exploreExhaustiveIsolated(
    values.design,
    io.cwd,
    {
      config,
      connections,
      maxEmits,
      broadcasts: bounds.broadcasts,
      maxStates,
      ...(maxDepth === null ? {} : { maxDepth }),
      symmetry: reduction === 'all' || reduction === 'symmetry',
      partialOrder: reduction === 'all' || reduction === 'por',
    },
    limits,
    showProgress
      ? (states, transitions, depth) => {
          const s = ((performance.now() - started) / 1000).toFixed(1);
          io.err(`\rexplore: ${states} states, ${transitions} transitions, depth ${depth}, ${s} s\x1b[K`);
        }
      : undefined,
  );
  if (showProgress) io.err('\r\x1b[K');
  if (outcome.kind !== 'result') {
    const what =
      outcome.kind === 'runaway' ? `RUNAWAY ${bounds.design}: ${outcome.what}: ` : `ERROR ${bounds.design}: `;
    io.out(`${what}${outcome.message}\n`);
    return 1;
  }
  const result = outcome.result;
  const elapsedMs = Math.round(performance.now() - started);
  const allow = values['allow-truncated'];
  io.out(
    values.json
      ? exhaustiveJson(bounds, result, elapsedMs)
      : renderExhaustive(bounds, result, elapsedMs, allow),
  );
  if (result.violations.length > 0) return 1;
  return result.truncated && !allow ? 1 : 0;
}

function replay(
  design: ReducerDesign<unknown>,
  config: LifecycleConfig,
  bounds: ExhaustiveBounds,
  text: string,
  io: Io,
): number {
  const path = parsePath(text, bounds.connections);
  if (typeof path === 'string') throw new UsageError(`--replay: ${path}`);
  const r = replayPath(design, config, bounds, path);
  const run = { design: design.name, trace: r.trace, userOf: {}, config };
  // A replayed path is a prefix of a run (no socket states, no settling): only the property
  // the explorer's monitor names is judged by check's checker too.
  const checked = checkTrace(run, { design: { name: design.name, kind: 'reducer' }, profile: 'ideal' }).find(
    (v) => v.status === 'violated' && v.id === r.finding?.property,
  );
  io.out(`replay ${bounds.design}: ${path.length} steps (t is the step number)\n`);
  io.out(`${renderTimeline(cutTimeline(r.trace, r.offending), r.offending)}\n`);
  if (r.finding === null) {
    io.out('no property broken on this path\n');
    return 0;
  }
  io.out(`VIOLATED ${r.finding.property}: ${r.finding.message}\n`);
  if (checked !== undefined) io.out(`check's ${checked.id} on this trace: ${checked.message}\n`);
  return 1;
}
