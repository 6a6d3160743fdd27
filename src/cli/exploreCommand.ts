/**
 * `ws-lifecycle explore`: exhaustive bounded exploration of a reducer design over K
 * connections (src/exhaustive/exhaustive.ts), or `--replay PATH` of one explored path.
 */
import { checkTrace } from '../properties/checkTrace.ts';
import { exhaustiveConfig } from '../exhaustive/exhaustive.ts';
import { exploreExhaustiveIsolated } from '../pool/isolatedExhaustive.ts';
import { parsePath, replayPath } from '../exhaustive/pathReplay.ts';
import { exhaustiveJson, renderExhaustive, type ExhaustiveBounds } from '../report/exhaustiveReport.ts';
import { cutTimeline, renderTimeline } from '../report/timeline.ts';
import type { LifecycleConfig } from '../core/types.ts';
import type { ReducerDesign } from '../sim/types.ts';
import { parseFlags, type Command, type ParsedFlags } from './command.ts';
import { intFlag } from './flags.ts';
import type { Io } from './io.ts';
import { loadDesign } from '../design/loadDesign.ts';
import { UsageError } from './usageError.ts';
import { exitCodes } from './exitCodes.ts';

const reductions = ['all', 'symmetry', 'por', 'none'] as const;

const exploreFlags = {
  design: { type: 'string', value: 'NAME|PATH', description: 'a reducer design', default: 'reference' },
  connections: {
    type: 'string',
    value: 'N',
    description: 'connections explored together, 1..3',
    default: '2',
  },
  'max-emits': { type: 'string', value: 'N', description: 'emits per connection, 0..12', default: '3' },
  broadcasts: {
    type: 'string',
    value: 'N',
    description: 'broadcasts to every connection, 0..6 (0 with one connection)',
    default: '1',
  },
  capacity: { type: 'string', value: 'N', description: 'send buffer capacity, 1..12', default: '2' },
  'max-states': {
    type: 'string',
    value: 'N',
    description: 'state cap; past it the verdict is incomplete (truncated)',
    default: '1000000',
  },
  depth: {
    type: 'string',
    value: 'N',
    description: 'longest path explored, 1..10000',
    defaultText: 'no bound',
  },
  reduction: {
    type: 'string',
    value: 'all|symmetry|por|none',
    description: 'state-space reductions: connection symmetry, partial-order reduction, both or none',
    default: 'all',
  },
  replay: {
    type: 'string',
    value: 'PATH',
    description: 'replay one explored path (as printed with a violation) and print its timeline',
  },
  json: { type: 'boolean', description: 'print the result as JSON' },
  'allow-truncated': { type: 'boolean', description: 'exit 0 when the state cap cut the exploration short' },
  'step-time-limit': {
    type: 'string',
    value: 'MS',
    description: 'a design step running longer is reported as a RUNAWAY',
    default: '5000',
  },
  'memory-limit': {
    type: 'string',
    value: 'MB',
    description: "heap cap of the exploration's worker; past it a RUNAWAY",
    default: '4096',
  },
} as const;

/** The bounds, limits and reduction `explore`'s flags ask for, each checked. */
function exploreBounds(values: ParsedFlags<typeof exploreFlags>['values']) {
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
  return { connections, maxEmits, broadcasts, capacity, maxStates, maxDepth, limits, reduction };
}

/** Progress on stderr: states, transitions and depth so far, rewritten in place. */
function progressLine(io: Io, started: number): (states: number, transitions: number, depth: number) => void {
  return (states, transitions, depth) => {
    const s = ((performance.now() - started) / 1000).toFixed(1);
    io.err(`\rexplore: ${states} states, ${transitions} transitions, depth ${depth}, ${s} s\x1b[K`);
  };
}

/**
 * Runs `explore`. Writes the report to `io`; progress to stderr when it is a terminal.
 *
 * @returns 1 when a property broke or the state cap cut the exploration short (unless
 *   `--allow-truncated`), 0 otherwise.
 * @throws UsageError, DesignLoadError for bad input (the caller exits 2).
 */
export async function exploreCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseFlags(exploreFlags, args);
  const { connections, maxEmits, broadcasts, capacity, maxStates, maxDepth, limits, reduction } =
    exploreBounds(values);
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
    showProgress ? progressLine(io, started) : undefined,
  );
  if (showProgress) io.err('\r\x1b[K');
  if (outcome.kind !== 'result') {
    const what =
      outcome.kind === 'runaway' ? `RUNAWAY ${bounds.design}: ${outcome.what}: ` : `ERROR ${bounds.design}: `;
    io.out(`${what}${outcome.message}\n`);
    return exitCodes.fail;
  }
  const result = outcome.result;
  const elapsedMs = Math.round(performance.now() - started);
  const allow = values['allow-truncated'] === true;
  io.out(
    values.json
      ? exhaustiveJson(bounds, result, elapsedMs)
      : renderExhaustive(bounds, result, elapsedMs, allow),
  );
  if (result.violations.length > 0) return exitCodes.fail;
  return result.truncated && !allow ? exitCodes.fail : exitCodes.pass;
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
    return exitCodes.pass;
  }
  io.out(`VIOLATED ${r.finding.property}: ${r.finding.message}\n`);
  if (checked !== undefined) io.out(`check's ${checked.id} on this trace: ${checked.message}\n`);
  return exitCodes.fail;
}

/** The `explore` command. */
export const exploreCmd: Command = {
  name: 'explore',
  description: [
    'Explores every interleaving of K connections (--connections) of a reducer design up to the',
    'bounds (emits, broadcasts, capacity, state cap, depth), checking the trace properties on the',
    'fly; symmetry and partial-order reduction keep the state space small. A violation is printed',
    'with its path (replay it with --replay); a state cap reached makes the verdict incomplete.',
    'The exploration runs in a worker: a step that never returns is reported as a RUNAWAY.',
  ].join('\n'),
  flags: exploreFlags,
  examples: [
    ['ws-lifecycle explore --design reference', 'two connections, three emits each, one broadcast'],
    [
      'ws-lifecycle explore --connections 3 --max-emits 1 --max-states 2000000',
      'three connections, one emit each: about 980,000 states, explored to the end',
    ],
    ['ws-lifecycle explore --replay c1:connect,c1:acceptCompleted', 'replay one explored path'],
  ],
  run: exploreCommand,
};
