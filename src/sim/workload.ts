/**
 * Seeded workloads: a few connections, agents emitting the five event types, a cleanup
 * task closing some connections, some peer closes and client messages, all drawn from one
 * seed. The scenario also carries the run's choices (latencies, faults, interleaving),
 * drawn from a separate sub-stream of the same seed.
 */
import { profiles } from './profiles.ts';
import { Prng } from './prng.ts';
import type { Command, ProfileName, Scenario } from './types.ts';

/** The agent event types of the seeds, in the order an agent run emits them. */
export const agentEventTypes: readonly string[] = [
  'agent_started',
  'agent_thinking',
  'tool_executing',
  'tool_completed',
  'agent_completed',
];

/** Options of `generateScenario`. */
export interface WorkloadOptions {
  /** Connections opened (default 3). */
  readonly connections?: number;
  /** Events emitted per connection (default 10). */
  readonly emits?: number;
  /** Broadcasts to every connection (default 0). */
  readonly broadcasts?: number;
}

/** Choices drawn per command, plus a fixed base: enough that a run rarely exhausts them. */
const choicesPerCommand = 24;
const choicesBase = 64;

/** One agent run's event types: started, then thinking/tool pairs, then completed. */
function agentRun(rng: Prng, count: number): string[] {
  const types: string[] = [];
  for (let k = 0; k < count; k++) {
    if (k === 0) types.push('agent_started');
    else if (k === count - 1) types.push('agent_completed');
    else if (rng.below(3) === 0) types.push('agent_thinking');
    else types.push(types.at(-1) === 'tool_executing' ? 'tool_completed' : 'tool_executing');
  }
  return types;
}

/**
 * A seeded scenario for `profile`: pure (same arguments, same scenario).
 *
 * @example
 * const scenario = generateScenario(7, 'lan', { connections: 2, emits: 5 });
 * scenario.commands[0]; // { atMs: ..., kind: 'open', conn: 'c1', userId: 'u1' }
 */
export function generateScenario(
  seed: number,
  profile: ProfileName,
  options: WorkloadOptions = {},
): Scenario {
  const connections = options.connections ?? 3;
  const emits = options.emits ?? 10;
  const root = Prng.fromSeed(seed);
  const rng = root.derive('workload');
  const knobs = profiles[profile];
  const commands: Command[] = [];
  let lastAt = 0;
  for (let k = 1; k <= connections; k++) {
    const conn = `c${k}`;
    const openAt = rng.below(51);
    commands.push({ atMs: openAt, kind: 'open', conn, userId: `u${k}` });
    let at = openAt + rng.below(101);
    for (const eventType of agentRun(rng, emits)) {
      commands.push({ atMs: at, kind: 'emit', conn, eventType });
      if (rng.below(4) === 0) commands.push({ atMs: at, kind: 'clientMessage', conn, text: 'hello' });
      at += 1 + rng.below(50);
    }
    // Peer faults as workload commands: one draw per connection, at four times the
    // per-frame rate (hostile: 40% peer close, 20% abrupt).
    const fault = rng.below(1_000_000);
    const peerCloseBelow = Math.min(1_000_000, knobs.peerClosePerMillion * 4);
    const abruptBelow = Math.min(1_000_000, peerCloseBelow + knobs.abruptDisconnectPerMillion * 4);
    if (fault < peerCloseBelow) {
      commands.push({ atMs: openAt + rng.below(at - openAt + 1), kind: 'peerClose', conn, code: 1001 });
    } else if (fault < abruptBelow) {
      commands.push({ atMs: openAt + rng.below(at - openAt + 1), kind: 'abrupt', conn });
    }
    // The cleanup task closes about half of the connections once their agent finished.
    if (rng.below(2) === 0) {
      at += 10 + rng.below(191);
      commands.push({ atMs: at, kind: 'appClose', conn, code: 1000, reason: 'agent finished' });
    }
    lastAt = Math.max(lastAt, at);
  }
  for (let b = 0; b < (options.broadcasts ?? 0); b++) {
    commands.push({ atMs: rng.below(lastAt + 1), kind: 'broadcast', eventType: 'agent_thinking' });
  }
  // Stable sort keeps, at equal times, the order in which they were drawn.
  commands.sort((a, b) => a.atMs - b.atMs);
  const choiceRng = root.derive('choices');
  const choices: number[] = [];
  for (let k = 0; k < choicesBase + choicesPerCommand * commands.length; k++)
    choices.push(choiceRng.nextUint32());
  return { knobs, environment: 'production', commands, choices };
}
