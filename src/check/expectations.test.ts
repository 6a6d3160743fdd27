import { describe, expect, it } from 'vitest';
import { FixtureError } from './errors.ts';
import { parseExpectation } from './expectations.ts';

describe('parseExpectation', () => {
  it('accepts a well-formed fixture', () => {
    const e = parseExpectation(
      { design: 'seed-003', expected: [{ property: 'P4', claim: 'x', profile: 'cloud-run', why: 'y' }] },
      'f.json',
    );
    expect(e.expected[0]).toEqual({ property: 'P4', claim: 'x', profile: 'cloud-run', why: 'y' });
  });

  it.each([
    [[], 'expected a JSON object'],
    [{ expected: [] }, '"design"'],
    [{ design: 'd', expected: {} }, '"expected" must be an array'],
    [{ design: 'd', expected: [{ property: 'P16', claim: 'x' }] }, 'P1..P15'],
    [{ design: 'd', expected: [{ property: 'P1', claim: '' }] }, 'claim'],
    [{ design: 'd', expected: [{ property: 'P1', claim: 'x', profile: 'moon' }] }, 'profile'],
  ])('rejects %j with a FixtureError naming the problem', (json, fragment) => {
    expect(() => parseExpectation(json, 'f.json')).toThrow(FixtureError);
    expect(() => parseExpectation(json, 'f.json')).toThrow(fragment);
  });
});
