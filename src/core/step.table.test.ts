/**
 * The transition table decides what each phase accepts: `step` asks the table
 * (`acceptedTriggers`), it does not restate it. Shown in every phase for every trigger, on a
 * state primed so that nothing but the phase can refuse the input (its timer pending, a send
 * and a ping in flight): the reference step rejects exactly what the table does not accept,
 * and a table without one accepted trigger makes that step reject it, with no edit to step.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig, initial, type State } from './state.ts';
import { step, stepWith } from './step.ts';
import { stepAll } from './stepAll.ts';
import {
  acceptedTriggers,
  phases,
  referenceTable,
  type TransitionTable,
  type Trigger,
} from './transitions.ts';
import type { Input, LifecycleConfig, Phase, TimerName } from './types.ts';

const config: LifecycleConfig = { ...defaultConfig, heartbeatIntervalMs: 100 };

/** Every timer the table names (each acts in some phase). */
const timerNames: readonly TimerName[] = [
  ...new Set(
    [
      ...referenceTable.transitions.flatMap((e) => e.on),
      ...phases.flatMap((p) => referenceTable.stayInputs[p]),
    ]
      .filter((t) => t.startsWith('timer:'))
      .map((t) => t.slice('timer:'.length) as TimerName),
  ),
];

/** Every input of the core once, well formed (the pong answers the ping sent while priming). */
const inputs: readonly Input[] = [
  { type: 'connect' },
  { type: 'acceptCompleted' },
  { type: 'authSucceeded', userId: 'u1' },
  { type: 'authFailed', reason: 'bad token' },
  { type: 'servicesReady' },
  { type: 'emit', event: { id: 'e1', type: 'agent_thinking' } },
  { type: 'sendCompleted' },
  { type: 'sendFailed', error: 'peer gone' },
  { type: 'appClose', code: 1000, reason: 'done' },
  { type: 'peerClose', code: 1001, reason: '' },
  { type: 'transportError', error: 'reset' },
  { type: 'closeCompleted' },
  { type: 'pong', nonce: 1 },
  ...timerNames.map((name): Input => ({ type: 'timerFired', name })),
];

const triggerOf = (input: Input): Trigger =>
  input.type === 'timerFired' ? `timer:${input.name}` : input.type;

const toReady: readonly Input[] = [
  { type: 'connect' },
  { type: 'acceptCompleted' },
  { type: 'authSucceeded', userId: 'u1' },
  { type: 'servicesReady' },
  { type: 'timerFired', name: 'heartbeat' }, // a ping in flight, nonce 1
  { type: 'emit', event: { id: 'e0', type: 'agent_thinking' } }, // a send in flight
];
const pathTo: Record<Phase, readonly Input[]> = {
  connecting: [],
  accepting: toReady.slice(0, 1),
  authenticating: toReady.slice(0, 2),
  preparing: toReady.slice(0, 3),
  ready: toReady,
  closing: [...toReady, { type: 'appClose', code: 1000, reason: 'bye' }],
  closed: [...toReady, { type: 'peerClose', code: 1001, reason: '' }],
};

/** A state in `phase` where `input` can be refused by the phase alone: a fired timer is pending. */
function primed(phase: Phase, input: Input): State {
  const { state } = stepAll(initial(config), pathTo[phase]);
  expect(state.phase).toBe(phase);
  if (input.type !== 'timerFired' || !('timers' in state) || state.timers.includes(input.name)) return state;
  return { ...state, timers: [...state.timers, input.name] } as State;
}

/** `table` without `trigger` in `phase`: off every edge out of it and off its stays. */
function without(table: TransitionTable, phase: Phase, trigger: Trigger): TransitionTable {
  return {
    transitions: table.transitions.map((edge) =>
      edge.from === phase ? { ...edge, on: edge.on.filter((t) => t !== trigger) } : edge,
    ),
    stayInputs: { ...table.stayInputs, [phase]: table.stayInputs[phase].filter((t) => t !== trigger) },
  };
}

const rejections = (result: ReturnType<typeof step>) => result.effects.filter((e) => e.type === 'rejected');

describe('the transition table decides what each phase accepts', () => {
  const accepted = acceptedTriggers(referenceTable);

  for (const phase of phases) {
    it(`${phase}: step rejects exactly the triggers the table does not accept`, () => {
      for (const input of inputs) {
        const state = primed(phase, input);
        const result = step(state, input);
        const trigger = triggerOf(input);
        if (accepted[phase][trigger] === true) expect(rejections(result), trigger).toEqual([]);
        else {
          expect(rejections(result), trigger).toHaveLength(1);
          expect(result.state, trigger).toBe(state);
        }
      }
    });

    it(`${phase}: a table without an accepted trigger makes step reject it`, () => {
      for (const input of inputs) {
        const trigger = triggerOf(input);
        if (accepted[phase][trigger] !== true) continue;
        const state = primed(phase, input);
        expect(rejections(step(state, input)), trigger).toEqual([]);
        const result = stepWith(without(referenceTable, phase, trigger))(state, input);
        expect(result.effects, trigger).toEqual([
          { type: 'rejected', input: input.type, phase, reason: expect.any(String) },
        ]);
        expect(result.state, trigger).toBe(state);
      }
    });
  }

  it('stepWith(referenceTable) is step', () => {
    for (const phase of phases) {
      for (const input of inputs) {
        const state = primed(phase, input);
        expect(stepWith(referenceTable)(state, input)).toEqual(step(state, input));
      }
    }
  });

  it('a table accepting an input step has no handler for throws, naming phase and trigger', () => {
    const more: TransitionTable = {
      ...referenceTable,
      stayInputs: { ...referenceTable.stayInputs, ready: [...referenceTable.stayInputs.ready, 'connect'] },
    };
    expect(() => stepWith(more)(primed('ready', { type: 'connect' }), { type: 'connect' })).toThrow(
      'core bug: the table accepts connect in ready',
    );
  });
});
