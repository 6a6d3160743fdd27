/**
 * `check` with isolated workers, shards and limits, as a user runs it (child processes:
 * workers, signals and exit codes are the point).
 */
import { spawn } from 'node:child_process';
import { access, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toCheckReport } from '../src/report/checkReport.ts';
import { runChecks } from '../src/judge/runChecks.ts';
import { loadExpectations } from '../src/cli/fixtureFiles.ts';
import { loadDesign } from '../src/design/loadDesign.ts';
import { expectationsDir } from '../src/design/packagePaths.ts';
import { splitMinRunsVar } from '../src/cli/poolRun.ts';
import { cli, root, sourceCommand } from './cliHarness.ts';

const plan = [
  'check',
  '--design',
  'reference',
  '--design',
  'broken-overtake',
  '--profile',
  'lan',
  '--runs',
  '60',
  '--json',
];

describe('check in isolated workers', () => {
  it.each([
    [['check', '--workers', '0'], /--workers must be an integer 1\.\.256/],
    [['check', '--shard', '3/2'], /--shard must be i\/n with 1 <= i <= n/],
    [['check', '--memory-limit', '1'], /--memory-limit must be an integer 64\.\./],
    [['merge'], /merge needs shard reports/],
  ])('%j is bad input: one line, exit 2, nothing on stdout', async (args, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it(`takes a bad ${splitMinRunsVar} as bad input: one line, exit 2`, async () => {
    process.env[splitMinRunsVar] = 'many';
    const run = cli('check', '--design', 'reference', '--profile', 'lan', '--runs', '5');
    delete process.env[splitMinRunsVar];
    const r = await run;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^ws-lifecycle: ${splitMinRunsVar} must be a positive integer`));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('prints the same JSON report with --workers 1 and --workers 2', async () => {
    const [one, two] = await Promise.all([cli(...plan, '--workers', '1'), cli(...plan, '--workers', '2')]);
    expect(one.code).toBe(1); // broken-overtake violates P8
    expect(JSON.parse(one.stdout)).toMatchObject({
      designs: [{ name: 'reference' }, { name: 'broken-overtake' }],
    });
    expect(two.stdout).toBe(one.stdout);
  });

  it('prints the same JSON report for one exploration split over 1, 2 and 3 workers', async () => {
    // One design under one profile: with more workers than explorations, its runs are split.
    const single = ['check', '--design', 'naive', '--profile', 'lan', '--runs', '150', '--json'];
    // Split however short: one worker per run at least (the default waits for long explorations).
    process.env[splitMinRunsVar] = '1';
    const runs = Promise.all([
      cli(...single, '--workers', '1'),
      cli(...single, '--workers', '2'),
      cli(...single, '--workers', '3'),
    ]);
    delete process.env[splitMinRunsVar];
    const [one, two, three] = await runs;
    const report = JSON.parse(one.stdout) as {
      designs: { properties: { counterexample?: unknown }[] }[];
    };
    // Several rounds: naive violates several properties, each found in a round of its own.
    expect(
      report.designs[0]?.properties.filter((p) => p.counterexample !== undefined).length,
    ).toBeGreaterThan(2);
    expect(two.stdout).toBe(one.stdout);
    expect(three.stdout).toBe(one.stdout);
    expect(two.code).toBe(one.code);

    // And it is the report of the exploration in this thread, one fast-check call per round.
    const loaded = await loadDesign('naive', root);
    const expectation = (await loadExpectations(expectationsDir)).get('naive');
    const results = await runChecks(
      [
        {
          design: loaded.design,
          ref: 'naive',
          role: 'seed',
          profiles: ['lan'],
          runs: 150,
          ...(expectation === undefined ? {} : { expectation }),
        },
      ],
      { seed: 1 },
    );
    const here = JSON.parse(JSON.stringify(toCheckReport(results, { seed: 1, timing: false }))) as {
      designs: unknown;
    };
    expect(report.designs).toEqual(here.designs);
  });

  it('merges two shards into the report one run prints', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsl-shard-'));
    const [whole, s1, s2] = await Promise.all([
      cli(...plan),
      cli(...plan, '--shard', '1/2'),
      cli(...plan, '--shard', '2/2'),
    ]);
    expect(JSON.parse(s1.stdout)).toMatchObject({
      format: 'ws-lifecycle-shard/1',
      shard: { index: 1, count: 2 },
    });
    await writeFile(join(dir, 's1.json'), s1.stdout);
    await writeFile(join(dir, 's2.json'), s2.stdout);
    const merged = await cli('merge', join(dir, 's2.json'), join(dir, 's1.json'), '--json');
    expect(merged.code).toBe(whole.code);
    expect(merged.stdout).toBe(whole.stdout);
    const half = await cli('merge', join(dir, 's1.json'));
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/shard\(s\) 2\/2 missing/);
  });

  it('reports a hung design with its run and replay command, exit 1, within the run limit', async () => {
    const r = await cli(
      'check',
      '--design',
      'fixtures/designs/runaway/hang.ts',
      '--profile',
      'lan',
      '--runs',
      '20',
      '--run-time-limit',
      '500',
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^RUNAWAY fixtures\/designs\/runaway\/hang\.ts \(lan\): hung, run 0 of seed 1: /m,
    );
    expect(r.stdout).toMatch(
      /replay: npx ws-lifecycle replay --design fixtures\/designs\/runaway\/hang\.ts --seed 1 --path 0 --profile lan/,
    );
  });

  it('ends a design holding Buffers (outside the heap cap) by the resident-memory cap: a memory RUNAWAY, exit 1', async () => {
    // 32 MB kept per connection; without the resident watchdog the process grew to 7.7 GB.
    const r = await cli(
      'check',
      '--design',
      'fixtures/designs/runaway/buffers.ts',
      '--profile',
      'ideal',
      '--runs',
      '100',
      '--workers',
      '1',
      '--memory-limit',
      '200',
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^RUNAWAY fixtures\/designs\/runaway\/buffers\.ts \(ideal\): memory, run \d+ of seed 1: the process's resident memory reached \d+ MB, over its cap of \d+ MB \(--memory-limit 200 MB per worker/m,
    );
  }, 30_000);

  it('stops at --time-limit with what finished, exit 1', async () => {
    const r = await cli(
      'check',
      '--design',
      'fixtures/designs/runaway/hang.ts',
      '--profile',
      'lan',
      '--runs',
      '5',
      '--time-limit',
      '2',
      '--run-time-limit',
      '600000',
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /--time-limit reached: 1 exploration\(s\) unfinished: fixtures\/designs\/runaway\/hang\.ts \(lan\)/,
    );
  });

  /**
   * `check` of `design` then a design that hangs, one exploration at a time: `signal` is sent
   * once the hang has begun (it creates a marker file), so the first exploration has ended.
   */
  async function interrupted(
    signal: 'SIGINT' | 'SIGTERM',
    design: string,
    profile: string,
    out: string,
  ): Promise<{ code: number | null; stdout: string }> {
    const mark = join(out, 'hang-began');
    const child = spawn(
      'node',
      [
        ...sourceCommand,
        'check',
        '--design',
        design,
        '--design',
        'fixtures/designs/runaway/hang-marked.ts',
        '--profile',
        profile,
        '--runs',
        '20',
        '--workers',
        '1',
        '--run-time-limit',
        '600000',
        '--out',
        out,
      ],
      { cwd: root, env: { ...process.env, WS_LIFECYCLE_HANG_MARK: mark } },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    for (;;) {
      if (child.exitCode !== null) break;
      try {
        await access(mark);
        break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    child.kill(signal);
    return { code: await exited, stdout };
  }

  it('on SIGINT prints the results finished so far and exits 130', async () => {
    const r = await interrupted('SIGINT', 'reference', 'ideal', await mkdtemp(join(tmpdir(), 'sigint-')));
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/^reference: matches its expectation \(20 runs; profiles ideal\)$/m);
    expect(r.stdout).toMatch(
      /interrupted \(SIGINT\): 1 exploration\(s\) unfinished: fixtures\/designs\/runaway\/hang-marked\.ts \(ideal\)/,
    );
  }, 30_000);

  it('on SIGTERM (a CI timeout) prints and saves the results finished so far and exits 143', async () => {
    const out = await mkdtemp(join(tmpdir(), 'sigterm-'));
    const r = await interrupted('SIGTERM', 'naive', 'lan', out);
    expect(r.code).toBe(143);
    expect(r.stdout).toMatch(/^naive: matches its expectation \(\d+ runs; profiles lan\)$/m);
    expect(r.stdout).toMatch(
      /interrupted \(SIGTERM\): 1 exploration\(s\) unfinished: fixtures\/designs\/runaway\/hang-marked\.ts \(lan\)/,
    );
    expect((await readdir(join(out, 'naive'))).filter((f) => f.endsWith('.json')).length).toBeGreaterThan(0);
  }, 30_000);
});
