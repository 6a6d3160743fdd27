import { describe, expect, it } from 'vitest';
import { Findings } from './findings.ts';

describe('Findings', () => {
  it('reports the violation that comes first in the trace, whatever the order found', () => {
    const f = new Findings('P7');
    f.exercised = 3;
    f.violate([9, 2], 'late one');
    f.violate([4], 'early one');
    f.violate([4, 1], 'same step');
    const verdict = f.verdict();
    expect(verdict.status).toBe('violated');
    expect(verdict.message).toBe('early one (+2 more)');
    expect(verdict.steps).toEqual([4, 9]);
  });

  it('is held when exercised, not-exercised otherwise, and never violated with exercised 0', () => {
    const held = new Findings('P2');
    held.exercised = 2;
    expect(held.verdict()).toMatchObject({ status: 'held', exercised: 2, steps: [] });
    expect(new Findings('P2').verdict().status).toBe('not-exercised');
    const odd = new Findings('P2');
    odd.violate([1], 'x');
    expect(odd.verdict().exercised).toBe(1);
  });

  it('caps the listed steps at 20', () => {
    const f = new Findings('P13');
    for (let i = 0; i < 50; i++) f.violate([i], `step ${i}`);
    expect(f.verdict().steps).toHaveLength(20);
    expect(f.verdict().steps[0]).toBe(0);
  });
});
