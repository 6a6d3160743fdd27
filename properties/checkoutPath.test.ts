/**
 * A checkout whose path has a space and a non-ASCII character: every path the harness
 * builds comes from fileURLToPath, so expectations and the corpus are found there as they
 * are anywhere (a `%20` in a path would make them vanish silently: "held" with no `*`, a
 * corpus suite of 0 files).
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function spawn(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // Not started by npm in that folder, and not a worker of this vitest run.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k !== 'INIT_CWD' && !k.startsWith('VITEST')),
  );
  return new Promise((resolve) => {
    execFile('node', args, { cwd, env, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

let checkout = '';

beforeAll(async () => {
  checkout = join(await mkdtemp(join(tmpdir(), 'wsl-path-')), 'ws life é');
  for (const part of ['package.json', 'tsconfig.json', 'vitest.config.ts', 'src', 'fixtures']) {
    await cp(join(root, part), join(checkout, part), { recursive: true });
  }
  for (const part of ['settings.ts', 'corpus.test.ts']) {
    await cp(join(root, 'properties', part), join(checkout, 'properties', part));
  }
  await symlink(join(root, 'node_modules'), join(checkout, 'node_modules'));
});

describe('a checkout at a path with a space and a non-ASCII character', () => {
  it('check finds the expectations: seed-003 matches with its expected violations marked *', async () => {
    const r = await spawn(checkout, [
      '--import',
      'tsx',
      'src/cli/run.ts',
      'check',
      '--design',
      'seed-003',
      '--runs',
      '100',
      // stderr must be empty: no warning, and no progress line however slow the machine.
      '--progress=none',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^seed-003 .*X\*/m);
    expect(r.stdout).toMatch(/seed-003: matches its expectation/);
  });

  it('the corpus suite finds and replays every saved counterexample', async () => {
    const r = await spawn(checkout, [
      join('node_modules', 'vitest', 'vitest.mjs'),
      'run',
      'properties/corpus.test.ts',
      '--typecheck.enabled=false',
      '--reporter=verbose',
      '--color=false',
    ]);
    expect(r.code, r.stderr).toBe(0);
    // eslint-disable-next-line no-control-regex
    const out = r.stdout.replace(/\x1b\[[0-9;]*m/g, '');
    const files = /counterexample corpus \((\d+) files/.exec(out);
    expect(Number(files?.[1])).toBeGreaterThan(0);
    expect(out).toMatch(new RegExp(`Tests +${Number(files?.[1]) + 1} passed`));
  });
});
