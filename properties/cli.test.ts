/**
 * The command line as a user runs it: `node bin/ws-lifecycle.js ...` in a child process.
 * Runs are kept small so the suite stays fast.
 */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { suiteSeed } from './settings.ts';

const root = new URL('..', import.meta.url).pathname;

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      'node',
      ['bin/ws-lifecycle.js', ...args],
      { cwd: root, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The steps line of a violation in the text report: `[lan; ...; 7 steps after 12 shrinks]`. */
function stepsOf(stdout: string, id: string): number {
  const line = stdout.split('\n').find((l) => new RegExp(`^\\S+\\s+${id} `).test(l)) ?? '';
  const m = /; (\d+) steps after/.exec(line);
  return m === null ? Number.NaN : Number(m[1]);
}

const seed = String(suiteSeed);

describe(`ws-lifecycle command line (seed ${seed})`, () => {
  it('check of broken-overtake exits 1 naming P8 with a short counterexample', async () => {
    const r = await cli(
      'check',
      '--design',
      'fixtures/designs/broken-overtake.ts',
      '--runs',
      '300',
      '--profile',
      'lan',
      '--seed',
      seed,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/P8 order-and-seq/);
    expect(stepsOf(r.stdout, 'P8')).toBeLessThanOrEqual(12);
    expect(r.stdout).toMatch(
      /reproduce: npx ws-lifecycle replay --design fixtures\/designs\/broken-overtake.ts --seed -?\d+ --path [\d:]+ --profile lan/,
    );
  });

  it('check of broken-drop-critical exits 1 naming P6', async () => {
    const r = await cli(
      'check',
      '--design',
      'fixtures/designs/broken-drop-critical.ts',
      '--runs',
      '300',
      '--profile',
      'lan',
      '--seed',
      seed,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/P6 critical-retained/);
    // Capacity 8: overflowing it takes 9 emits, so this timeline cannot be under ~12 steps.
    expect(stepsOf(r.stdout, 'P6')).toBeLessThanOrEqual(16);
  });

  it('the reproduce line of a counterexample replays it: exit 1 and the same property violated', async () => {
    const r = await cli(
      'check',
      '--design',
      'fixtures/designs/broken-overtake.ts',
      '--runs',
      '300',
      '--profile',
      'lan',
      '--seed',
      seed,
      '--json',
    );
    const doc = JSON.parse(r.stdout) as {
      designs: { properties: { id: string; counterexample?: { seed: number; path: string } }[] }[];
    };
    const cx = doc.designs[0]?.properties.find((p) => p.id === 'P8')?.counterexample;
    expect(cx).toBeDefined();
    const again = await cli(
      'replay',
      '--design',
      'fixtures/designs/broken-overtake.ts',
      '--seed',
      String(cx?.seed),
      '--path',
      cx?.path ?? '',
      '--profile',
      'lan',
    );
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/P8\s+order-and-seq\s+violated/);
  });

  it.each([
    [['check', '--design', 'does-not-exist'], /no design named "does-not-exist"/],
    [['check', '--runs', 'abc'], /--runs must be an integer/],
    [['check', '--design', 'fixtures/designs/empty-module.js'], /exports no design/],
    [['check', '--profile', 'moon'], /unknown profile "moon"/],
    [['check', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['replay', '--design', 'reference'], /replay needs --seed/],
    [['explore', '--design', 'naive'], /explore needs a reducer design/],
    [['bogus'], /unknown command "bogus"/],
  ])('%j exits 2 with one line on stderr and no stack trace', async (args, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ws-lifecycle: .+; .+\n$/);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('check --json twice with the same seed is byte-identical', async () => {
    const args = [
      'check',
      '--design',
      'reference',
      '--design',
      'fixtures/designs/broken-overtake.ts',
      '--runs',
      '60',
      '--profile',
      'hostile',
      '--seed',
      seed,
      '--json',
    ];
    const [a, b] = await Promise.all([cli(...args), cli(...args)]);
    expect(a.stdout.length).toBeGreaterThan(100);
    expect(a.stdout).toBe(b.stdout);
    expect(JSON.parse(a.stdout)).toMatchObject({
      seed: suiteSeed,
      designs: [{ name: 'reference' }, { name: 'broken-overtake' }],
    });
  });

  it('explore --design reference --depth 6 counts states and exits 0', async () => {
    const r = await cli('explore', '--design', 'reference', '--depth', '6');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/distinct states: \d+/);
    expect(r.stdout).toMatch(/every invariant held/);
  });
});
