/**
 * The reducer driver answers a design's throw with a `design/threw` entry (SPEC section 4:
 * an input is never answered with a throw), which P4 reports.
 */
import { describe, expect, it } from 'vitest';
import { p04ValidTransitions } from '../properties/p04ValidTransitions.ts';
import { reference } from '../designs/reference.ts';
import { zeroKnobs } from './profiles.ts';
import { runScenario } from './runScenario.ts';
import type { ReducerDesign, Scenario } from './types.ts';

/** The reference, except that `step` throws on every emit. */
const throwsOnEmit: ReducerDesign<unknown> = {
  ...(reference as ReducerDesign<unknown>),
  name: 'throws-on-emit',
  step(state, input) {
    if (input.type === 'emit') throw new Error(`no room for ${input.event.id}`);
    return reference.step(state as never, input);
  },
};

const scenario: Scenario = {
  knobs: zeroKnobs,
  environment: 'production',
  commands: [
    { atMs: 0, kind: 'open', conn: 'c1', userId: 'u1' },
    { atMs: 10, kind: 'emit', conn: 'c1', eventType: 'agent_started' },
  ],
  choices: [],
};

describe('a reducer step that throws', () => {
  it('is written as design/threw with the input, the phase and the message, and the run goes on', async () => {
    const run = await runScenario(throwsOnEmit, scenario);
    const threw = run.trace.filter((e) => e.actor === 'design' && e.action === 'threw');
    expect(threw).toHaveLength(1);
    expect(threw[0]?.conn).toBe('c1');
    expect(threw[0]?.t).toBe(10);
    expect(threw[0]?.detail).toEqual({ input: 'emit', phase: 'ready', error: 'no room for e1' });
    expect(run.trace.at(-1)?.action).toBe('settled');
  });

  it('violates P4 valid-transitions, naming input, phase and message; the reference holds', async () => {
    const run = await runScenario(throwsOnEmit, scenario);
    const verdict = p04ValidTransitions.check(run, { design: throwsOnEmit, profile: 'ideal' });
    expect(verdict.status).toBe('violated');
    expect(verdict.message).toBe('c1: step threw on emit in ready: no room for e1 (t=10ms)');
    const honest = await runScenario(reference as ReducerDesign<unknown>, scenario);
    expect(p04ValidTransitions.check(honest, { design: reference, profile: 'ideal' }).status).toBe('held');
  });
});
