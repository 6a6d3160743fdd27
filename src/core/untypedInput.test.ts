import { describe, expect, it } from 'vitest';
import { inputTypes, malformedInput } from './inputShape.ts';
import { defaultConfig, initial, phaseOf, type State } from './state.ts';
import { step } from './step.ts';
import { stepAll } from './stepAll.ts';
import type { Input } from './types.ts';

/** What a caller in plain JavaScript may pass: anything, the types erased. */
const untyped = (input: unknown): Input => input as Input;

const ready = (): State =>
  stepAll(initial(defaultConfig), [
    { type: 'connect' },
    { type: 'acceptCompleted' },
    { type: 'authSucceeded', userId: 'u1' },
    { type: 'servicesReady' },
  ]).state;

describe('inputs from untyped callers: a rejected effect, never a throw', () => {
  const states: [string, () => State][] = [
    ['connecting', () => initial(defaultConfig)],
    ['ready', ready],
  ];
  for (const [phase, make] of states) {
    it(`an unknown input type in ${phase} is rejected as 'unknown', naming the type, same state`, () => {
      const state = make();
      const { state: next, effects } = step(state, untyped({ type: 'bogus' }));
      expect(next).toBe(state);
      expect(effects).toEqual([
        {
          type: 'rejected',
          input: 'unknown',
          phase,
          reason: `unknown input type "bogus" (known: ${inputTypes.join(', ')})`,
        },
      ]);
    });
  }

  it('an input that is not an object, or has no type, is rejected the same way', () => {
    const state = initial(defaultConfig);
    for (const input of [null, undefined, 42, 'connect', {}, { type: 7 }, { type: 'toString' }]) {
      const { state: next, effects } = step(state, untyped(input));
      expect(next, JSON.stringify(input)).toBe(state);
      expect(effects, JSON.stringify(input)).toEqual([
        { type: 'rejected', input: 'unknown', phase: 'connecting', reason: expect.any(String) },
      ]);
    }
    expect(step(state, untyped(null)).effects[0]).toMatchObject({
      reason: 'an input must be an object with a type, got null',
    });
  });

  it('a known input with a field of the wrong type is rejected under its own type', () => {
    const authenticating = stepAll(initial(defaultConfig), [
      { type: 'connect' },
      { type: 'acceptCompleted' },
    ]).state;
    const cases: [State, unknown, string][] = [
      [authenticating, { type: 'authSucceeded' }, 'authSucceeded.userId must be a string, got undefined'],
      [
        ready(),
        { type: 'appClose', code: '1000', reason: 'bye' },
        'appClose.code must be a number, got "1000"',
      ],
      [ready(), { type: 'appClose', code: 1000 }, 'appClose.reason must be a string, got undefined'],
      [ready(), { type: 'pong', nonce: null }, 'pong.nonce must be a number, got null'],
      [ready(), { type: 'timerFired' }, 'timerFired.name must be a string, got undefined'],
    ];
    for (const [state, input, reason] of cases) {
      const { state: next, effects } = step(state, untyped(input));
      expect(next).toBe(state);
      expect(effects).toEqual([
        { type: 'rejected', input: (input as { type: string }).type, phase: phaseOf(state), reason },
      ]);
    }
  });

  it('a well-formed input passes the shape check untouched', () => {
    expect(malformedInput({ type: 'connect' })).toBeUndefined();
    expect(malformedInput({ type: 'appClose', code: 1000, reason: '' })).toBeUndefined();
    // An emit's event is the emit's own business: a bad one is refused as its outcome.
    const { effects } = step(initial(defaultConfig), untyped({ type: 'emit', event: null }));
    expect(effects).toEqual([
      { type: 'outcome', eventId: 'undefined', outcome: { kind: 'refused', reason: 'invalid' } },
    ]);
  });
});
