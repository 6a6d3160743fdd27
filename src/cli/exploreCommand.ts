/**
 * `ws-lifecycle explore --design reference --depth N`: exhaustive bounded exploration of a
 * reducer design (breadth-first over every input sequence up to N), printing state counts.
 */
import { exploreExhaustive } from '../check/exhaustive.ts';
import { defaultConfig } from '../core/index.ts';
import type { LifecycleConfig } from '../core/types.ts';
import { parseFlags, type Command } from './command.ts';
import { intFlag } from './flags.ts';
import type { Io } from './io.ts';
import { loadDesign } from './loadDesign.ts';
import { UsageError } from './usageError.ts';

/**
 * The configuration explored: a buffer of 2 and one send in flight so overflow and
 * backpressure are reachable within a few steps, and the heartbeat on so pings are too.
 */
export const exhaustiveConfig: LifecycleConfig = {
  ...defaultConfig,
  capacity: 2,
  maxInFlight: 1,
  heartbeatIntervalMs: 1000,
};

const exploreFlags = {
  design: { type: 'string', value: 'NAME|PATH', description: 'a reducer design', default: 'reference' },
  depth: { type: 'string', value: 'N', description: 'longest input sequence explored, 1..20', default: '8' },
} as const;

/**
 * Runs `explore`. Writes counts and violations to `io`.
 *
 * @returns 1 when an invariant broke, 0 otherwise.
 * @throws UsageError, DesignLoadError for bad input (the caller exits 2).
 */
export async function exploreCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseFlags(exploreFlags, args);
  const depth = intFlag('depth', values.depth, { min: 1, max: 20 });
  const { design } = await loadDesign(values.design, io.cwd);
  if (design.kind !== 'reducer') {
    throw new UsageError(
      `explore needs a reducer design, and ${design.name} is a handler design; use check for it`,
    );
  }
  io.out(
    `explore ${design.name}: depth ${depth}, capacity ${exhaustiveConfig.capacity}, maxInFlight ${exhaustiveConfig.maxInFlight}\n`,
  );
  const r = exploreExhaustive(design, { depth, config: exhaustiveConfig });
  r.statesPerDepth.forEach((n, d) => io.out(`  depth ${String(d).padStart(2)}: ${n} new states\n`));
  io.out(
    `distinct states: ${r.distinctStates}; steps: ${r.steps}${r.truncated ? ' (state cap reached: truncated)' : ''}\n`,
  );
  for (const v of r.violations) {
    io.out(
      `VIOLATION ${v.invariant}: ${v.message}\n  inputs: ${v.inputs.map((i) => JSON.stringify(i)).join(' ')}\n`,
    );
  }
  io.out(r.violations.length === 0 ? 'every invariant held\n' : `${r.violations.length} violation(s)\n`);
  return r.violations.length === 0 ? 0 : 1;
}

/** The `explore` command. */
export const exploreCmd: Command = {
  name: 'explore',
  description: [
    "Walks, breadth first, every input sequence up to --depth from the design's initial state",
    '(capacity 2, one send in flight, heartbeat on) and checks the invariants after every step.',
  ].join('\n'),
  flags: exploreFlags,
  examples: [['ws-lifecycle explore --design reference --depth 8', 'the reference core']],
  run: exploreCommand,
};
