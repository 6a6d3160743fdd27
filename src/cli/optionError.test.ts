/**
 * Option errors in one line of our own words, with the nearest flag of the command.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { editDistance, nearestFlags } from './optionError.ts';
import { runInProcess } from './runInProcess.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('option errors', () => {
  it('measures edits with transpositions as one', () => {
    expect(editDistance('rnus', 'runs')).toBe(1);
    expect(editDistance('sed', 'seed')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests the flags an abbreviation begins, else the nearest, else none', () => {
    const flags = {
      runs: { type: 'string', description: '' },
      'run-time-limit': { type: 'string', description: '' },
      seed: { type: 'string', description: '' },
    } as const;
    expect(nearestFlags('ru', flags)).toEqual(['runs', 'run-time-limit']);
    expect(nearestFlags('rnus', flags)).toEqual(['runs']);
    expect(nearestFlags('zzzzzz', flags)).toEqual([]);
  });

  it.each([
    [['check', '--rnus', '5'], 'ws-lifecycle check: unknown option --rnus (did you mean --runs?)'],
    [
      ['replay', '--design', 'naive', '--sed', '3'],
      'ws-lifecycle replay: unknown option --sed (did you mean --seed?)',
    ],
    [
      ['check', '--memroy-limit', '9'],
      'ws-lifecycle check: unknown option --memroy-limit (did you mean --memory-limit?)',
    ],
    [
      ['check', '--ru', '5'],
      'ws-lifecycle check: unknown option --ru (did you mean --runs or --run-time-limit?)',
    ],
    [['check', '--zzzzzz'], 'ws-lifecycle check: unknown option --zzzzzz (see ws-lifecycle check --help)'],
    [
      ['check-trace', '--profil', 'lan', 't.jsonl'],
      'ws-lifecycle check-trace: unknown option --profil (did you mean --profile?)',
    ],
    [
      ['check', '--seed', '-5'],
      'ws-lifecycle check: --seed -5: a value starting with "-" must be attached with "=": --seed=-5',
    ],
    [
      ['check', '--runs'],
      'ws-lifecycle check: --runs needs a value: --runs N (see ws-lifecycle check --help)',
    ],
    [['check', '--json=1'], 'ws-lifecycle check: --json takes no value; pass --json alone'],
    [
      ['check', 'foo'],
      'ws-lifecycle check: unexpected argument "foo": check takes only flags (see ws-lifecycle check --help)',
    ],
  ])('%j: one line, exit 2', async (args, line) => {
    const r = await runInProcess(args, { cwd: root });
    expect(r.stderr).toBe(`${line}\n`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});
