/**
 * Socket conformance table (socketRows.ts): every row on the simulated socket, and, where
 * Debian's python3-starlette is installed, the same sequences on real Starlette compared
 * with the table (its release's column). A newer release's starlette/websockets.py can be
 * checked too: STARLETTE_WEBSOCKETS=/path/to/websockets.py STARLETTE_VERSION=0.47.3.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { olderReleases, SimRow, socketRows } from './socketRows.ts';

describe('socket conformance (simulated Starlette WebSocket)', () => {
  for (const row of socketRows) {
    it(`${row.name} [${row.starlette}]`, async () => {
      const sim = new SimRow();
      await row.simulate(sim);
      expect(sim.log).toEqual(row.expected);
    });
  }
});

const python = '/usr/bin/python3';
const script = fileURLToPath(new URL('python/starlette_rows.py', import.meta.url));

function starletteInstalled(): boolean {
  if (!existsSync(python)) return false;
  try {
    execFileSync(python, ['-c', 'import starlette'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The table as a release prints it: `expected`, with that release's differing rows. */
function tableOf(version: string): Record<string, readonly string[]> {
  const older = olderReleases[version] ?? {};
  return Object.fromEntries(socketRows.map((row) => [row.name, older[row.name] ?? row.expected]));
}

describe('socket conformance table against real Starlette', () => {
  const other = process.env['STARLETTE_WEBSOCKETS'];
  const runs: { label: string; args: string[] }[] = [{ label: 'installed starlette', args: [] }];
  if (other !== undefined)
    runs.push({ label: other, args: [other, process.env['STARLETTE_VERSION'] ?? other] });
  for (const { label, args } of runs) {
    const run = starletteInstalled() ? it : it.skip;
    run(`starlette_rows.py on ${label} prints the table of its release`, () => {
      const output = JSON.parse(
        execFileSync(python, [script, ...args], { encoding: 'utf8', timeout: 30_000 }),
      ) as {
        starlette: string;
        rows: Record<string, string[]>;
      };
      expect(Object.keys(tableOf(output.starlette))).toEqual(Object.keys(output.rows));
      expect(output.rows).toEqual(tableOf(output.starlette));
    });
  }
});
