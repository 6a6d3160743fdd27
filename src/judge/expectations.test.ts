import { describe, expect, it } from 'vitest';
import { FixtureError } from '../design/errors.ts';
import { parseExpectation } from './expectations.ts';

describe('parseExpectation', () => {
  it('accepts a well-formed fixture', () => {
    const e = parseExpectation(
      { design: 'seed-003', expected: [{ property: 'P4', claim: 'x', profile: 'cloud-run', why: 'y' }] },
      'f.json',
    );
    expect(e.expected[0]).toEqual({ property: 'P4', claim: 'x', profile: 'cloud-run', why: 'y' });
  });

  it('keeps source, readings and holds', () => {
    const e = parseExpectation(
      {
        design: 'seed-004',
        expected: [
          {
            property: 'P13',
            claim: 'x',
            source: 'seed 004 §Expected Results',
            readings: ['register=after-auth'],
          },
        ],
        holds: [{ property: 'P2', claim: 'y' }],
      },
      'f.json',
    );
    expect(e.expected[0]).toEqual({
      property: 'P13',
      claim: 'x',
      source: 'seed 004 §Expected Results',
      readings: ['register=after-auth'],
    });
    expect(e.holds).toEqual([{ property: 'P2', claim: 'y' }]);
  });

  it.each([
    [[], 'f.json: Invalid input: expected object'],
    [{ expected: [] }, 'f.json: design: '],
    [{ design: 'd', expected: {} }, 'f.json: expected: Invalid input: expected array'],
    [
      { design: 'd', expected: [{ property: 'P99', claim: 'x' }] },
      'f.json: expected[0].property: unknown property id',
    ],
    [{ design: 'd', expected: [{ property: 'P1', claim: '' }] }, 'f.json: expected[0].claim: '],
    [
      { design: 'd', expected: [{ property: 'P1', claim: 'x', profile: 'moon' }] },
      'f.json: expected[0].profile: unknown profile',
    ],
    [{ design: 'd', expected: [{ property: 'P1', claim: 'x', readings: ['send'] }] }, 'readings'],
    [{ design: 'd', expected: [{ property: 'P1', claim: 'x', readings: [] }] }, 'readings'],
    [{ design: 'd', expected: [], holds: [{ property: 'P99', claim: 'x' }] }, 'holds[0].property'],
  ])('rejects %j with a FixtureError naming the file and the field', (json, fragment) => {
    expect(() => parseExpectation(json, 'f.json')).toThrow(FixtureError);
    expect(() => parseExpectation(json, 'f.json')).toThrow(fragment);
  });
});
