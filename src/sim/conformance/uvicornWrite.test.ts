/**
 * Slow-reader table (writeRows.ts) against the real stack: runs uvicorn_write_rows.py
 * under Debian's /usr/bin/python3 (uvicorn 0.17.6, websockets 10.4, Starlette 0.26.1) and
 * compares what it prints with the table. Skipped when the stack cannot be imported,
 * except that WS_LIFECYCLE_REQUIRE_PYTHON=1 makes a missing stack a failure.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { uvicornWriteRows, uvicornWriteSources, uvicornWriteStack } from './writeRows.ts';

const python = '/usr/bin/python3';
const script = fileURLToPath(new URL('python/uvicorn_write_rows.py', import.meta.url));

/** Whether `python` imports the stack (run outside the repository, so no module shadows it). */
function stackImportable(): boolean {
  const probe = spawnSync(python, ['-c', 'import starlette, uvicorn, websockets'], { cwd: tmpdir() });
  return probe.status === 0;
}

const importable = stackImportable();
if (!importable) {
  const why = `uvicorn write conformance SKIPPED: ${python} cannot import starlette, uvicorn and websockets (apt-get install -y python3-starlette python3-uvicorn python3-websockets)`;
  if (process.env['WS_LIFECYCLE_REQUIRE_PYTHON'] === '1')
    throw new Error(`${why}; WS_LIFECYCLE_REQUIRE_PYTHON=1 requires it`);
  console.warn(why);
}

describe('uvicorn write conformance table', () => {
  it('cites its sources for every row', () => {
    expect(Object.keys(uvicornWriteSources)).toEqual(Object.keys(uvicornWriteRows));
  });

  const run = importable ? it : it.skip;
  run(
    'uvicorn_write_rows.py on the installed stack prints the table',
    () => {
      const output = JSON.parse(
        execFileSync(python, [script], { encoding: 'utf8', timeout: 20_000, cwd: tmpdir() }),
      ) as { uvicorn: string; websockets: string; starlette: string; rows: Record<string, string[]> };
      const { rows, ...stack } = output;
      expect(stack).toEqual(uvicornWriteStack);
      expect(Object.keys(rows)).toEqual(Object.keys(uvicornWriteRows));
      expect(rows).toEqual(uvicornWriteRows);
    },
    25_000,
  );
});
