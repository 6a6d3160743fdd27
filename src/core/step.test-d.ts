import { describe, expectTypeOf, it } from 'vitest';
import { assertNever } from './assertNever.ts';
import { defaultConfig, initial, type ConnectingState, type ReadyState, type State } from './state.ts';
import { step } from './step.ts';
import type { Effect, Input, StepResult } from './types.ts';

declare const state: State;

describe('step types', () => {
  it('takes a State and an Input, returns StepResult<State>', () => {
    expectTypeOf(step).parameters.toEqualTypeOf<[State, Input]>();
    expectTypeOf(step(state, { type: 'connect' })).toEqualTypeOf<StepResult<State>>();
    expectTypeOf(step(state, { type: 'connect' }).effects).toEqualTypeOf<readonly Effect[]>();
  });

  it('the natural loop compiles: initial() is a State that step() results assign back to', () => {
    expectTypeOf(initial).returns.toEqualTypeOf<State>();
    let s = initial(defaultConfig);
    s = step(s, { type: 'connect' }).state;
    ({ state: s } = step(s, { type: 'acceptCompleted' }));
    for (const input of [{ type: 'connect' }] as Input[]) s = step(s, input).state;
    expectTypeOf(s).toEqualTypeOf<State>();
    // A state narrowed by its phase still has that phase's fields.
    if (s.phase === 'connecting') expectTypeOf(s).toEqualTypeOf<ConnectingState>();
  });

  it('a rejected effect names a known input type or unknown', () => {
    type Rejected = Extract<Effect, { type: 'rejected' }>;
    expectTypeOf<Rejected['input']>().toEqualTypeOf<Input['type'] | 'unknown'>();
  });

  it('refuses a wrong input payload at compile time', () => {
    // @ts-expect-error emit without its event
    step(state, { type: 'emit' });
    // @ts-expect-error a close code must be a number
    step(state, { type: 'appClose', code: 'x', reason: '' });
    // @ts-expect-error appClose needs a reason
    step(state, { type: 'appClose', code: 1000 });
    // @ts-expect-error not a timer name
    step(state, { type: 'timerFired', name: 'lunch' });
    // @ts-expect-error not an input
    step(state, { type: 'reboot' });
    step(state, { type: 'appClose', code: 1000, reason: 'ok' });
  });

  it('gives each phase only its own fields', () => {
    expectTypeOf<Extract<State, { phase: 'ready' }>>().toEqualTypeOf<ReadyState>();
    expectTypeOf<Extract<State, { phase: 'closed' }>>().not.toHaveProperty('buffer');
    expectTypeOf<Extract<State, { phase: 'closed' }>>().not.toHaveProperty('timers');
    expectTypeOf<Extract<State, { phase: 'connecting' }>>().not.toHaveProperty('inFlight');
    expectTypeOf<ReadyState>().toHaveProperty('inFlight');
  });

  it('a switch over Input missing a case does not compile against assertNever', () => {
    const label = (input: Input): string => {
      switch (input.type) {
        case 'connect':
        case 'acceptCompleted':
        case 'authSucceeded':
        case 'authFailed':
        case 'servicesReady':
        case 'emit':
        case 'sendCompleted':
        case 'sendFailed':
        case 'appClose':
        case 'peerClose':
        case 'closeCompleted':
        case 'transportError':
        case 'timerFired':
          return input.type;
        // 'pong' is missing on purpose
        default:
          // @ts-expect-error input is { type: 'pong' }, not never
          return assertNever(input);
      }
    };
    expectTypeOf(label).returns.toEqualTypeOf<string>();
  });
});
