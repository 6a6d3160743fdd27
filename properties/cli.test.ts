/**
 * The command line as a user runs it, in a child process.
 * Runs are kept small so the suite stays fast.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/cli/fixtureFiles.ts';
import { runInProcess } from '../src/cli/runInProcess.ts';
import { suiteSeed } from './settings.ts';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    // The sources, through tsx: the suite tests the code as it is now, not the last build
    // (the built bin is what scripts/consumer-test.sh runs). INIT_CWD is dropped: these runs
    // are not started by npm in the package root.
    const { INIT_CWD: _initCwd, ...env } = process.env;
    execFile(
      'node',
      ['--import', 'tsx', 'src/cli/run.ts', ...args],
      { cwd: root, maxBuffer: 64 << 20, env },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * The steps of a violation in the text report: `[lan; ...; 7 steps after 12 shrinks]`, on its
 * first line or, when that is too wide for 80 columns, the next.
 */
function stepsOf(stdout: string, id: string): number {
  const lines = stdout.split('\n');
  const at = lines.findIndex((l) => new RegExp(`^\\S+\\s+${id} `).test(l));
  const m = /; (\d+) steps after/.exec(`${lines[at] ?? ''} ${lines[at + 1] ?? ''}`);
  return m === null ? Number.NaN : Number(m[1]);
}

const seed = String(suiteSeed);

describe.concurrent(`ws-lifecycle command line (seed ${seed})`, () => {
  it('check of broken-overtake exits 1 naming P8 with a short counterexample that replays', async () => {
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
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as {
      designs: {
        matches: boolean;
        properties: {
          id: string;
          status: string;
          counterexample?: { seed: number; path: string; steps: number; reproduce: string };
        }[];
      }[];
    };
    const p8 = doc.designs[0]?.properties.find((p) => p.id === 'P8');
    expect(p8?.status).toBe('violated');
    const cx = p8?.counterexample;
    if (cx === undefined) throw new Error('no P8 counterexample');
    // Two emits, the handshake and the two wire frames (phase changes annotate their steps).
    expect(cx.steps).toBeLessThanOrEqual(10);
    expect(cx.reproduce).toMatch(
      /^npx ws-lifecycle replay --design fixtures\/designs\/broken-overtake.ts --seed -?\d+ --path [\d:]+ --profile lan$/,
    );
    const again = await cli(
      'replay',
      '--design',
      'fixtures/designs/broken-overtake.ts',
      '--seed',
      String(cx.seed),
      '--path',
      cx.path,
      '--profile',
      'lan',
    );
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/P8\s+order-and-seq\s+violated/);
  });

  it('the counterexample README.md and docs/cli.md quote is the one check prints', async () => {
    // The docs' command exactly (its seed is check's default, whatever the suite's seed).
    const r = await cli('check', '--design', 'fixtures/designs/broken-overtake.ts', '--profile', 'lan');
    const lines = r.stdout.split('\n');
    const start = lines.findIndex((l) => l.startsWith('broken-overtake  P8 order-and-seq'));
    const end = lines.findIndex((l, k) => k > start && l.trimStart().startsWith('reproduce:'));
    expect(start).toBeGreaterThanOrEqual(0);
    const printed = lines.slice(start, end + 1).join('\n');
    for (const doc of ['README.md', 'docs/cli.md'])
      expect(await readFile(join(root, doc), 'utf8'), `${doc} quotes another run`).toContain(printed);
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
    // Capacity 8: overflowing it takes a burst of 9 emits (one step), then the drop.
    expect(stepsOf(r.stdout, 'P6')).toBeLessThanOrEqual(10);
  });

  it.each([
    [['check', '--design', 'does-not-exist'], /no design named "does-not-exist"/],
    [['check', '--runs', 'abc'], /--runs must be an integer/],
    [['check', '--design', 'fixtures/designs/empty-module.js'], /exports no design/],
  ])('%j exits 2 with one line on stderr and no stack trace', async (args, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ws-lifecycle: .+; .+\n$/);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('loads a .ts design from a folder outside any ESM package (CommonJS by Node rules)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ws-lifecycle-own-'));
    const file = join(dir, 'mine.ts');
    // Refuses every event: holds the safety properties, so the run exits on its own merits.
    const body = [
      "const name: string = 'mine';",
      'export const design = {',
      "  kind: 'handler' as const,",
      '  name,',
      '  create: () => ({',
      '    async handle(conn: { socket: { accept(): Promise<void> } }) { await conn.socket.accept(); },',
      '    async emit() { return false; },',
      '    async close() {},',
      '  }),',
      '};',
    ].join('\n');
    await writeFile(file, body);
    const r = await cli('check', '--design', file, '--runs', '5', '--profile', 'ideal', '--progress=none');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^mine\s+(ok|X|nc|-)\s/m);
  });

  it('a design module with a syntax error exits 2 naming the file, line and the error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ws-lifecycle-bad-'));
    const file = join(dir, 'broken.ts');
    await writeFile(file, 'export const design = {{;\n');
    const r = await cli('check', '--design', file, '--runs', '5');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^ws-lifecycle: cannot import .*broken\.ts \(.*broken\.ts:1:\d+: ERROR: .+\); .+\n$/,
    );
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
    expect(r.stdout).toMatch(/states: \d+/);
    expect(r.stdout).toMatch(/every property held on every path/);
  });
});

/** `main` in-process, for the bad-input cases that need no child process. */
function inProcess(...args: string[]): Promise<Outcome> {
  return runInProcess(args, { cwd: root });
}

describe('ws-lifecycle main, bad input in-process', () => {
  it.each([
    [['check', '--profile', 'moon'], /unknown profile "moon"/],
    [['check', '--seed', '1.5'], /--seed must be an integer/],
    [['replay', '--design', 'reference'], /replay needs --seed/],
    [['replay', '--design', 'reference', '--seed', '1', '--path', 'x:y'], /--path must look like 12:0:3/],
    [['explore', '--design', 'naive'], /explore needs a reducer design/],
    [['explore', '--depth', '0'], /--depth must be an integer 1\.\./],
    [['bogus'], /unknown command "bogus"/],
    [[], /no command given/],
  ])('%j returns 2 with one line', async (args, message) => {
    const r = await inProcess(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ws-lifecycle: .+; .+\n$/);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('check --out saves each counterexample as <design>/<property>-<hash>.json, loadable as corpus', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsl-out-'));
    const r = await inProcess(
      'check',
      '--design',
      'broken-overtake',
      '--runs',
      '100',
      '--profile',
      'lan',
      '--out',
      dir,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/saved \d+ counterexample\(s\)/);
    const corpus = await loadCorpus(dir);
    const p8 = corpus.find((c) => c.entry.property === 'P8');
    expect(p8?.file).toMatch(/broken-overtake\/P8-[0-9a-f]{10}\.json$/);
    expect(p8?.entry).toMatchObject({ design: 'broken-overtake', profile: 'lan' });
  });

  it('check --profile swarm prints that knobs are drawn per run', async () => {
    const r = await inProcess('check', '--design', 'reference', '--runs', '20', '--profile', 'swarm');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/swarm: every knob drawn per run/);
  });

  it('--help prints the usage and returns 0', async () => {
    const r = await inProcess('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: ws-lifecycle <command>/);
  });
});
