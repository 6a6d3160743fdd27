/**
 * Runtime conformance table (runtimeRows.ts): every row on the simulated runtime under
 * Python 3.11 and 3.12, and, where the real interpreters exist on this machine, the same
 * sequences on real asyncio (python/asyncio_rows.py) compared with the table.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRig } from '../rig.ts';
import type { PythonVersion } from '../types.ts';
import { expectedOn, runtimeRows, type RuntimeRow } from './runtimeRows.ts';

const versions: readonly PythonVersion[] = ['3.11', '3.12'];

/** Runs a row as the main task of a fresh simulation and returns its log. */
async function simulate(row: RuntimeRow, python: PythonVersion): Promise<string[]> {
  const rig = createRig();
  const log: string[] = [];
  const rt = rig.context.runtime;
  const main = rt.spawnTask('main', () => row.simulate(rt, log, python), null, false);
  await rig.drain();
  if (!main.done()) throw new Error(`the main task never finished; its log: ${JSON.stringify(log)}`);
  await main.result;
  return log;
}

describe('runtime conformance (simulated asyncio)', () => {
  for (const row of runtimeRows) {
    for (const python of versions) {
      it(`${row.name} on ${python} [${row.cpython}]`, async () => {
        expect(await simulate(row, python)).toEqual(expectedOn(row, python));
      });
    }
  }

  it('no row leaves a timer armed (a cancelled sleep clears its timer)', async () => {
    for (const row of runtimeRows) {
      const rig = createRig();
      const rt = rig.context.runtime;
      rt.spawnTask('main', () => row.simulate(rt, [], '3.11'), null, false);
      // Rows sleep 10 s at most before they cancel: by 5 s every row has finished.
      await rig.drain(5000);
      expect([row.name, rig.context.clock.pendingNames()]).toEqual([row.name, []]);
    }
  });
});

// Debian's CPython 3.11 is /usr/bin/python3; a 3.12 is looked for where pyenv keeps it.
const interpreters: readonly { python: PythonVersion; path: string }[] = [
  { python: '3.11', path: '/usr/bin/python3' },
  { python: '3.12', path: process.env['PYTHON312'] ?? '/root/.pyenv/versions/3.12.1/bin/python3' },
];
const script = fileURLToPath(new URL('python/asyncio_rows.py', import.meta.url));

describe('runtime conformance table against real asyncio', () => {
  for (const { python, path } of interpreters) {
    const run = existsSync(path) ? it : it.skip;
    run(`asyncio_rows.py on ${path} prints every row of the table (${python})`, () => {
      const output = JSON.parse(execFileSync(path, [script], { encoding: 'utf8', timeout: 30_000 })) as {
        python: string;
        rows: Record<string, string[]>;
      };
      expect(output.python).toBe(python);
      const expected = Object.fromEntries(runtimeRows.map((row) => [row.name, expectedOn(row, python)]));
      expect(output.rows).toEqual(expected);
    });
  }
});
