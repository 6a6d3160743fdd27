/**
 * Exhaustive bounded exploration of a reducer design: breadth-first over every input
 * sequence up to a depth, checking the core invariants after every step.
 */
import { isTransitionOn, triggerOf } from '../core/transitions.ts';
import type { Effect, Input, LifecycleConfig, TimerName } from '../core/types.ts';
import type { ReducerDesign } from '../sim/types.ts';

/** The first violation found on one input sequence. */
export interface ExhaustiveViolation {
  readonly invariant: string;
  readonly message: string;
  /** The input sequence from `initial` that reaches it, shortest first (BFS). */
  readonly inputs: readonly Input[];
}

/** Counts of one exhaustive exploration. */
export interface ExhaustiveResult {
  readonly depth: number;
  /** New distinct states first reached at each depth (index 0: the initial state). */
  readonly statesPerDepth: readonly number[];
  readonly distinctStates: number;
  /** Steps executed (edges explored, including ones into known states). */
  readonly steps: number;
  readonly violations: readonly ExhaustiveViolation[];
  /** The state cap was reached: deeper levels were not fully explored. */
  readonly truncated: boolean;
}

/** Bookkeeping the invariants need besides the design's state; part of the state key. */
interface Monitor {
  readonly emits: number;
  /** Event ids emitted without an outcome yet, in emit order. */
  readonly open: readonly string[];
  readonly critical: readonly string[];
  readonly nextSeq: number;
  readonly timers: readonly TimerName[];
  readonly pingNonce: number | null;
}

interface Node<S> {
  readonly state: S;
  readonly monitor: Monitor;
  readonly inputs: readonly Input[];
}

function inputsAt(m: Monitor): Input[] {
  const id = `e${m.emits + 1}`;
  const inputs: Input[] = [
    { type: 'connect' },
    { type: 'acceptCompleted' },
    { type: 'authSucceeded', userId: 'u1' },
    { type: 'authFailed', reason: 'denied' },
    { type: 'servicesReady' },
    { type: 'emit', event: { id, type: 'agent_started' } },
    { type: 'emit', event: { id, type: 'agent_thinking' } },
    { type: 'sendCompleted' },
    { type: 'sendFailed', error: 'peer gone' },
    { type: 'appClose', code: 1000, reason: 'done' },
    { type: 'appClose', code: 1005, reason: '' },
    { type: 'peerClose', code: 1001, reason: '' },
    { type: 'closeCompleted' },
    { type: 'transportError', error: 'reset' },
  ];
  // A driver only fires timers that are set, and answers the last ping.
  for (const name of m.timers) inputs.push({ type: 'timerFired', name });
  if (m.pingNonce !== null) inputs.push({ type: 'pong', nonce: m.pingNonce });
  return inputs;
}

/** Applies one step's input and effects to the monitor; returns it or the broken invariant. */
function observe(
  m: Monitor,
  input: Input,
  effects: readonly Effect[],
  critical: readonly string[],
): Monitor | { invariant: string; message: string } {
  let { emits, open, nextSeq, timers, pingNonce } = m;
  let crit = m.critical;
  if (input.type === 'emit') {
    emits += 1;
    open = [...open, input.event.id];
    if (critical.includes(input.event.type)) crit = [...crit, input.event.id];
  }
  if (input.type === 'timerFired') timers = timers.filter((t) => t !== input.name);
  for (const e of effects) {
    if (e.type === 'outcome') {
      if (!open.includes(e.eventId)) {
        return {
          invariant: 'one-outcome',
          message: `second or unknown outcome for ${e.eventId}: ${JSON.stringify(e.outcome)}`,
        };
      }
      if (e.outcome.kind === 'dropped' && crit.includes(e.eventId)) {
        return { invariant: 'critical-retained', message: `critical event ${e.eventId} dropped` };
      }
      open = open.filter((id) => id !== e.eventId);
    } else if (e.type === 'send') {
      const f = e.frame;
      const seqs = f.kind === 'event' ? [f.seq] : f.kind === 'batch' ? f.events.map((x) => x.seq) : [];
      for (const seq of seqs) {
        if (seq !== nextSeq)
          return { invariant: 'seq-contiguous', message: `sent seq ${seq}, expected ${nextSeq}` };
        nextSeq += 1;
      }
      if (f.kind === 'ping') pingNonce = f.nonce;
    } else if (e.type === 'setTimer') {
      timers = [...timers.filter((t) => t !== e.name), e.name].sort();
    } else if (e.type === 'cancelTimer') {
      timers = timers.filter((t) => t !== e.name);
    }
  }
  return { emits, open, critical: crit, nextSeq, timers, pingNonce };
}

/**
 * Explores every input sequence of length <= `depth` from `design.initial(config)`,
 * deduplicating states (design state + monitor). Pure (deterministic, no I/O).
 *
 * Invariants: every emit ends in exactly one outcome (none twice; none left open once
 * closed), no critical drop, seq 1..n contiguous, buffer <= capacity, phase changes are
 * edges of the table for their trigger, a rejected input leaves the phase alone, no timer
 * left set once closed, and `step` never throws.
 *
 * @example
 * exploreExhaustive(reference, { depth: 6, config }).violations.length; // 0
 */
export function exploreExhaustive<S>(
  design: ReducerDesign<S>,
  options: {
    readonly depth: number;
    readonly config: LifecycleConfig;
    readonly maxStates?: number;
    readonly maxViolations?: number;
  },
): ExhaustiveResult {
  const { depth, config } = options;
  const maxStates = options.maxStates ?? 1_000_000;
  const maxViolations = options.maxViolations ?? 10;
  const start: Node<S> = {
    state: design.initial(config),
    monitor: { emits: 0, open: [], critical: [], nextSeq: 1, timers: [], pingNonce: null },
    inputs: [],
  };
  const seen = new Set<string>([JSON.stringify([start.state, start.monitor])]);
  const statesPerDepth = [1];
  const violations: ExhaustiveViolation[] = [];
  let frontier: Node<S>[] = [start];
  let steps = 0;
  let truncated = false;
  const fail = (node: Node<S>, input: Input, invariant: string, message: string): void => {
    if (violations.length < maxViolations)
      violations.push({ invariant, message, inputs: [...node.inputs, input] });
  };

  for (let level = 1; level <= depth && frontier.length > 0 && !truncated; level++) {
    const next: Node<S>[] = [];
    for (const node of frontier) {
      for (const input of inputsAt(node.monitor)) {
        steps += 1;
        let result;
        try {
          result = design.step(node.state, input);
        } catch (e) {
          fail(node, input, 'no-throw', `step threw: ${(e as Error).message}`);
          continue;
        }
        const from = design.phaseOf(node.state);
        const to = design.phaseOf(result.state);
        const monitor = observe(node.monitor, input, result.effects, config.criticalTypes);
        if ('invariant' in monitor) {
          fail(node, input, monitor.invariant, monitor.message);
          continue;
        }
        const broken =
          design.bufferedCount(result.state) > config.capacity
            ? ['bounded-buffer', `buffer ${design.bufferedCount(result.state)} > capacity ${config.capacity}`]
            : from !== to && !isTransitionOn(from, to, triggerOf(input))
              ? ['valid-transition', `${from} -> ${to} on ${triggerOf(input)} is not in the table`]
              : from !== to && result.effects.some((e) => e.type === 'rejected')
                ? ['rejected-stays', `${input.type} was rejected but the phase moved ${from} -> ${to}`]
                : to === 'closed' && monitor.open.length > 0
                  ? ['one-outcome', `closed with events lacking an outcome: ${monitor.open.join(', ')}`]
                  : to === 'closed' && monitor.timers.length > 0
                    ? ['timers-cancelled', `closed with timers set: ${monitor.timers.join(', ')}`]
                    : null;
        if (broken !== null) {
          fail(node, input, broken[0] ?? '', broken[1] ?? '');
          continue;
        }
        const key = JSON.stringify([result.state, monitor]);
        if (seen.has(key)) continue;
        if (seen.size >= maxStates) {
          truncated = true;
          break;
        }
        seen.add(key);
        next.push({ state: result.state, monitor, inputs: [...node.inputs, input] });
      }
      if (truncated) break;
    }
    statesPerDepth.push(next.length);
    frontier = next;
  }
  return { depth, statesPerDepth, distinctStates: seen.size, steps, violations, truncated };
}
