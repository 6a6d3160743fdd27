/**
 * The Python side's own unit tests, run from the TS suite so that `npm test` covers them:
 * the runner's (adapters/python/runner/tests: the choice source against the TS one, the
 * serve protocol, decisions, determinism) and the Python designs' (fixtures/python/tests).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { python, requirePythonStack } from '../adapters/pythonApp.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const stack = requirePythonStack('Python unit tests');

const suites = ['adapters/python/runner', 'fixtures/python'];

describe.skipIf(stack === null)('the Python unit tests', () => {
  it.each(suites)(
    '%s/tests pass',
    (dir) => {
      const r = spawnSync(python, ['-m', 'unittest', 'discover', '-s', 'tests'], {
        cwd: `${root}${dir}`,
        encoding: 'utf8',
        env: { ...process.env, WS_LIFECYCLE_APPS: '' },
        timeout: 60_000,
      });
      expect(r.stderr).toMatch(/^OK/m);
      expect(r.status).toBe(0);
    },
    70_000,
  );
});
