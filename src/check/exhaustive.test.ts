import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../core/index.ts';
import { reference } from '../designs/reference.ts';
import { design as brokenDropCritical } from '../../fixtures/designs/broken-drop-critical.ts';
import { exploreExhaustive } from './exhaustive.ts';

const config = { ...defaultConfig, capacity: 2, maxInFlight: 1, heartbeatIntervalMs: 1000 };

describe('exploreExhaustive', () => {
  it('finds every core invariant holding on the reference up to depth 7', () => {
    const r = exploreExhaustive(reference, { depth: 7, config });
    expect(r.violations).toEqual([]);
    expect(r.truncated).toBe(false);
    // Depth 0 is the initial state alone; every level reaches new states.
    expect(r.statesPerDepth[0]).toBe(1);
    expect(r.statesPerDepth.slice(1).every((n) => n > 0)).toBe(true);
    expect(r.distinctStates).toBe(r.statesPerDepth.reduce((a, b) => a + b, 0));
  });

  it('finds the critical drop of broken-drop-critical with a shortest input sequence', () => {
    const r = exploreExhaustive(brokenDropCritical, { depth: 5, config });
    const v = r.violations.find((x) => x.invariant === 'critical-retained');
    expect(v).toBeDefined();
    // capacity 2: a critical head, one more event, and the overflowing third: 3 emits.
    expect(v?.inputs.filter((i) => i.type === 'emit')).toHaveLength(3);
    expect(v?.inputs[0]).toMatchObject({ type: 'emit', event: { type: 'agent_started' } });
  });

  it('reports a step that throws as a violation instead of crashing', () => {
    const throwing = {
      ...reference,
      step: () => {
        throw new Error('boom');
      },
    };
    const r = exploreExhaustive(throwing, { depth: 1, config });
    expect(r.violations[0]).toMatchObject({ invariant: 'no-throw', message: 'step threw: boom' });
  });
});
