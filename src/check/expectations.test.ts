import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixtureError } from './errors.ts';
import { loadExpectations, parseExpectation } from './expectations.ts';

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
    [{ design: 'd', expected: [{ property: 'P15', claim: 'x' }] }, 'P1..P14'],
    [{ design: 'd', expected: [{ property: 'P1', claim: '' }] }, 'claim'],
    [{ design: 'd', expected: [{ property: 'P1', claim: 'x', profile: 'moon' }] }, 'profile'],
  ])('rejects %j with a FixtureError naming the problem', (json, fragment) => {
    expect(() => parseExpectation(json, 'f.json')).toThrow(FixtureError);
    expect(() => parseExpectation(json, 'f.json')).toThrow(fragment);
  });
});

describe('loadExpectations', () => {
  it('loads every bundled fixture without error', async () => {
    const all = await loadExpectations(new URL('../../fixtures/expectations/', import.meta.url).pathname);
    for (const [name, e] of all) expect(e.design).toBe(name);
  });

  it('fails with one FixtureError on unreadable JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsl-exp-'));
    await writeFile(join(dir, 'bad.json'), '{ nope');
    await expect(loadExpectations(dir)).rejects.toThrow(/bad\.json: not valid JSON/);
  });
});
