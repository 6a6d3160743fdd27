/**
 * Steps per second of the reference `step` (immer at the boundary) next to a hand-written
 * plain-object reducer doing the same work, on one realistic mixed workload.
 *
 * Run: `npx tsx bench/core.bench.ts`. Prints both medians and their ratio (target >= 0.5).
 * The baseline's effects are compared with `step`'s first, so both do the same work.
 */
import { castDraft, produce } from 'immer';
import { performance } from 'node:perf_hooks';
import { defaultConfig, initial, step, type Effect, type Input, type State } from '../src/core/index.ts';
import { median } from './median.ts';

const config = defaultConfig; // capacity 8, maxInFlight 4, the four critical types
const types = [
  'agent_started',
  'agent_thinking',
  'agent_thinking',
  'tool_executing',
  'agent_thinking',
  'tool_completed',
];

/** One connection's lifetime: 1,000 emits, 800 of them before ready (overflowing the buffer of 8). */
function workload(): Input[] {
  const inputs: Input[] = [];
  let n = 0;
  const emits = (count: number, complete: boolean): void => {
    for (let i = 0; i < count; i++, n++) {
      inputs.push({
        type: 'emit',
        event: { id: `e${n}`, type: types[n % types.length] ?? 'agent_thinking' },
      });
      if (complete) inputs.push({ type: 'sendCompleted' });
    }
  };
  inputs.push({ type: 'connect' });
  emits(300, false);
  inputs.push({ type: 'acceptCompleted' });
  emits(300, false);
  inputs.push({ type: 'authSucceeded', userId: 'u1' });
  emits(200, false);
  inputs.push({ type: 'servicesReady' });
  for (let i = 0; i < 8; i++) inputs.push({ type: 'sendCompleted' }); // drain the flushed buffer
  emits(200, true);
  inputs.push({ type: 'appClose', code: 1000, reason: 'done' }, { type: 'closeCompleted' });
  return inputs;
}

// ---------------------------------------------------------------------------------------
// Baseline: the same rules for these inputs, plain objects and spreads, no immer.

interface Item {
  readonly id: string;
  readonly type: string;
  readonly critical: boolean;
}
interface Plain {
  readonly phase: string;
  readonly buffer: readonly Item[];
  readonly criticalCount: number;
  readonly inFlight: readonly { readonly seq: number; readonly id: string }[];
  readonly nextSeq: number;
}

function baselineStep(s: Plain, input: Input): { state: Plain; effects: Effect[] } {
  const fx: Effect[] = [];
  switch (input.type) {
    case 'connect':
      fx.push({ type: 'accept' }, { type: 'setTimer', name: 'handshake', ms: config.handshakeTimeoutMs });
      return { state: { ...s, phase: 'accepting' }, effects: fx };
    case 'acceptCompleted':
      fx.push({ type: 'cancelTimer', name: 'handshake' }, { type: 'startAuth' });
      fx.push({ type: 'setTimer', name: 'auth', ms: config.authTimeoutMs });
      return { state: { ...s, phase: 'authenticating' }, effects: fx };
    case 'authSucceeded':
      fx.push({ type: 'cancelTimer', name: 'auth' }, { type: 'prepareServices' });
      fx.push({ type: 'setTimer', name: 'prepare', ms: config.prepareTimeoutMs });
      return { state: { ...s, phase: 'preparing' }, effects: fx };
    case 'servicesReady':
      fx.push({ type: 'cancelTimer', name: 'prepare' });
      return { state: pumpPlain({ ...s, phase: 'ready' }, fx), effects: fx };
    case 'emit': {
      const critical = config.criticalTypes.includes(input.event.type);
      const item = { id: input.event.id, type: input.event.type, critical };
      let next = s;
      if (s.buffer.length < config.capacity) {
        next = { ...s, buffer: [...s.buffer, item], criticalCount: s.criticalCount + (critical ? 1 : 0) };
      } else if (s.criticalCount === s.buffer.length) {
        fx.push({ type: 'outcome', eventId: item.id, outcome: { kind: 'refused', reason: 'backpressure' } });
      } else {
        const victim = s.buffer.findIndex((b) => !b.critical);
        const buffer = s.buffer.slice();
        const [dropped] = buffer.splice(victim, 1);
        buffer.push(item);
        fx.push({
          type: 'outcome',
          eventId: dropped?.id ?? '',
          outcome: { kind: 'dropped', reason: 'overflow' },
        });
        next = { ...s, buffer, criticalCount: s.criticalCount + (critical ? 1 : 0) };
      }
      return { state: s.phase === 'ready' ? pumpPlain(next, fx) : next, effects: fx };
    }
    case 'sendCompleted': {
      const [done, ...inFlight] = s.inFlight;
      if (done === undefined) throw new Error('baseline: nothing in flight');
      fx.push({ type: 'outcome', eventId: done.id, outcome: { kind: 'delivered', seq: done.seq } });
      return { state: pumpPlain({ ...s, inFlight }, fx), effects: fx };
    }
    case 'appClose':
      for (const b of s.buffer)
        fx.push({ type: 'outcome', eventId: b.id, outcome: { kind: 'undeliverable', reason: 'closed' } });
      fx.push({ type: 'close', code: input.code, reason: input.reason });
      fx.push({ type: 'setTimer', name: 'closeHandshake', ms: config.closeHandshakeTimeoutMs });
      return { state: { ...s, phase: 'closing', buffer: [], criticalCount: 0 }, effects: fx };
    case 'closeCompleted':
      fx.push({ type: 'cancelTimer', name: 'closeHandshake' });
      for (const f of s.inFlight)
        fx.push({ type: 'outcome', eventId: f.id, outcome: { kind: 'undeliverable', reason: 'closed' } });
      return { state: { ...s, phase: 'closed', inFlight: [] }, effects: fx };
    default:
      throw new Error(`baseline does not handle ${input.type}`);
  }
}

function pumpPlain(s: Plain, fx: Effect[]): Plain {
  let next = s;
  while (next.inFlight.length < config.maxInFlight && next.buffer.length > 0) {
    const [head, ...buffer] = next.buffer;
    if (head === undefined) break;
    fx.push({
      type: 'send',
      frame: { kind: 'event', seq: next.nextSeq, event: { id: head.id, type: head.type } },
    });
    next = {
      ...next,
      buffer,
      criticalCount: next.criticalCount - (head.critical ? 1 : 0),
      inFlight: [...next.inFlight, { seq: next.nextSeq, id: head.id }],
      nextSeq: next.nextSeq + 1,
    };
  }
  return next;
}

// ---------------------------------------------------------------------------------------

function runReference(inputs: readonly Input[]): number {
  let state: State = initial(config);
  let effects = 0;
  for (const input of inputs) {
    const result = step(state, input);
    state = result.state;
    effects += result.effects.length;
  }
  return effects;
}

/** For the record: the same steps, each wrapped in its own `produce` (the first design). */
function runProduceEveryStep(inputs: readonly Input[]): number {
  let state: State = initial(config);
  let effects = 0;
  for (const input of inputs) {
    let stepEffects: readonly Effect[] = [];
    state = produce(state, () => {
      const result = step(state, input);
      stepEffects = result.effects;
      return castDraft(result.state);
    });
    effects += stepEffects.length;
  }
  return effects;
}

function runBaseline(inputs: readonly Input[]): number {
  let state: Plain = { phase: 'connecting', buffer: [], criticalCount: 0, inFlight: [], nextSeq: 1 };
  let effects = 0;
  for (const input of inputs) {
    const result = baselineStep(state, input);
    state = result.state;
    effects += result.effects.length;
  }
  return effects;
}

/** Same effects, same order: the two reducers do the same work on this workload. */
function assertSameWork(inputs: readonly Input[]): void {
  let ref: State = initial(config);
  let base: Plain = { phase: 'connecting', buffer: [], criticalCount: 0, inFlight: [], nextSeq: 1 };
  inputs.forEach((input, i) => {
    const a = step(ref, input);
    const b = baselineStep(base, input);
    if (JSON.stringify(a.effects) !== JSON.stringify(b.effects)) {
      throw new Error(
        `baseline differs at input ${i} (${input.type}): ${JSON.stringify(a.effects)} vs ${JSON.stringify(b.effects)}`,
      );
    }
    ref = a.state;
    base = b.state;
  });
}

function stepsPerSecond(
  run: (inputs: readonly Input[]) => number,
  inputs: readonly Input[],
  repeats: number,
): number {
  const start = performance.now();
  for (let i = 0; i < repeats; i++) run(inputs);
  const seconds = (performance.now() - start) / 1000;
  return (inputs.length * repeats) / seconds;
}

const inputs = workload();
assertSameWork(inputs);
const repeats = 20;
const rounds = 7;
for (let i = 0; i < 3; i++) {
  runReference(inputs);
  runBaseline(inputs);
}
const reference: number[] = [];
const baseline: number[] = [];
const everyStep: number[] = [];
const ratios: number[] = [];
for (let round = 0; round < rounds; round++) {
  const r = stepsPerSecond(runReference, inputs, repeats);
  const b = stepsPerSecond(runBaseline, inputs, repeats);
  everyStep.push(stepsPerSecond(runProduceEveryStep, inputs, repeats));
  reference.push(r);
  baseline.push(b);
  // Rounds pair the two reducers back to back, so a noisy neighbour hits both alike.
  ratios.push(r / b);
}
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
console.log(
  `workload: ${inputs.length} inputs per connection (1,000 emits), ${rounds} rounds x ${repeats} connections`,
);
console.log(`reference step            : ${fmt(median(reference))} steps/s (median)`);
console.log(`plain-object baseline     : ${fmt(median(baseline))} steps/s (median)`);
console.log(`produce() around each step: ${fmt(median(everyStep))} steps/s (median, for the record)`);
console.log(
  `ratio reference/baseline  : ${median(ratios).toFixed(2)} (median of per-round ratios; target >= 0.5)`,
);
