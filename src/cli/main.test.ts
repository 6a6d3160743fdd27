/**
 * The command line's conventions, in-process: version, help, flag values, output places
 * checked before a run, reports, corpus entries of a user's design.
 */
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkReportSchema } from '../report/reportSchema.ts';
import { replayCorpusEntry } from '../explore/replay.ts';
import { colorEnabled } from './colors.ts';
import { commands } from './commands.ts';
import { corpusDesignSpec, loadCorpus } from './fixtureFiles.ts';
import { userCwd, type Io } from './io.ts';
import { loadDesign } from '../design/loadDesign.ts';
import { runInProcess, type CapturedRun } from './runInProcess.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

function run(args: string[], extra: Partial<Io> = {}): Promise<CapturedRun> {
  return runInProcess(args, { cwd: root, ...extra });
}

function expectOneLine(r: CapturedRun, message: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^ws-lifecycle: .+; .+\n$/);
  expect(r.stderr).toMatch(message);
  expect(r.stdout).toBe('');
}

describe('version and help', () => {
  it('--version prints the version of package.json', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it.each(commands.map((c) => c.name))(
    '%s --help: every flag with its default, examples, exit 0',
    async (name) => {
      const r = await run([name, '--runs', 'nonsense', '--help']);
      expect(r.code).toBe(0);
      // Operands (check-trace's FILE..., replay's optional [FILE.json]) come between the name
      // and the flags.
      expect(r.stdout).toMatch(
        new RegExp(`^usage: ws-lifecycle ${name}( [A-Z.]+| \\[[A-Z.a-z]+\\])? \\[flags\\]`),
      );
      expect(r.stdout).toMatch(/\nexamples:\n {2}# .+\n {2}(ws-lifecycle|npm) /);
      for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    },
  );

  it('check --help states the defaults', async () => {
    const { stdout } = await run(['check', '--help']);
    expect(stdout).toMatch(/--seed S\|random[\s\S]{0,120}\[default: 1\]/);
    expect(stdout).toMatch(/--profile P\[,P\.\.\.\][\s\S]*\[default: ideal,lan,cloud-run,hostile/);
  });

  it('--help lists every registered command', async () => {
    const { stdout, code } = await run(['--help']);
    expect(code).toBe(0);
    for (const c of commands) expect(stdout).toContain(`  ${c.name} `);
  });
});

describe('bad values are one line and exit 2, before any run', () => {
  it.each([
    [['check', '--runs', '10000001'], /--runs must be an integer 1\.\.10000000, got "10000001"/],
    [['check', '--runs', '99999999999999999999'], /--runs must be an integer 1\.\.10000000/],
    [['check', '--profile', 'lan,moon'], /unknown profile "moon"/],
    [['check', '--profile', 'lan,'], /--profile has an empty name/],
    [
      ['check', '--report', 'xml=a.xml'],
      /--report must be json=FILE, junit=FILE, tap=FILE, html=FILE, github or github=FILE/,
    ],
    [['check', '--report', 'json=a', '--report', 'json=b'], /--report json= is given twice/],
    [['check', '--seed', 'lucky'], /--seed must be an integer/],
    [['check', '--out', '/proc/ws-lifecycle-out'], /--out \/proc\/ws-lifecycle-out: \/proc is not writable/],
    [['check', '--out', '/dev/null/x'], /--out \/dev\/null\/x: \/dev\/null is a file, not a folder/],
    [
      ['check', '--report', 'junit=/proc/junit.xml'],
      /--report junit= \/proc\/junit\.xml: \/proc is not writable/,
    ],
    [['check', '--report', `json=${tmpdir()}`], /is a folder; pass a file path/],
    [
      ['check', '--report', 'json=/dev/null/r.json'],
      /--report json= \/dev\/null\/r\.json: \/dev\/null is a file, not a folder/,
    ],
    [
      ['check', '--report', 'json=out/r.json', '--report', 'junit=out/./r.json'],
      /--report junit=out\/.\/r.json and --report json=out\/r.json are the same path .*out\/r.json; give each output a path of its own/,
    ],
    [['check', '--out', 'cx', '--report', 'tap=cx'], /--report tap=cx and --out cx are the same path/],
    [['check', '--json', '--report', 'github'], /--report github writes to stdout, which --json fills/],
    [
      ['check-trace', 'no-such.jsonl', '--report', 'json=t.json', '--report', 'github=t.json'],
      /--report github=t.json and --report json=t.json are the same path/,
    ],
    [
      ['merge', 'no-such.json', '--report', 'junit=m.xml', '--report', 'tap=m.xml'],
      /--report tap=m.xml and --report junit=m.xml are the same path/,
    ],
    [
      ['replay', '--design', 'naive', '--seed', '1', '--path', '99999999999999999999'],
      /--path 9+ is out of range/,
    ],
    [['replay', '--design', 'naive', '--seed', '1', '--path', '1:0:x'], /--path must look like 12:0:3/],
    [
      ['replay', '--design', 'naive', '--seed', '1', '--path', '1:0:0:0:1:0:1:1:1:1:1:5:5:5:5:5'],
      /--path 1:0:0:0:1:0:1:1:1:1:1:5:5:5:5:5 does not exist at --seed 1 --profile lan/,
    ],
  ])('%j', async (args, message) => {
    expectOneLine(await run(args), message);
  });
});

describe('check', () => {
  it('--profile lan,hostile and a repeated --profile add up; --seed random prints the seed drawn', async () => {
    const r = await run([
      'check',
      '--design',
      'reference',
      '--runs',
      '5',
      '--profile',
      'lan,hostile',
      '--profile',
      'ideal',
      '--seed',
      'random',
    ]);
    expect(r.stdout).toMatch(
      /^ws-lifecycle check: seed (-?\d+) \(drawn at random; pass --seed \1 to repeat\)\n/,
    );
    expect(r.stdout).toContain('  reference: 5 runs x lan, hostile, ideal\n');
    expect(r.stdout).toMatch(/\n1 design, \d+ violations?, \d+ mismatch(es)?: (PASS|FAIL) in \d+\.\d s\n$/);
  });

  it('--json prints only the report (schema-valid) on stdout; the summary goes to stderr', async () => {
    const r = await run([
      'check',
      '--design',
      'broken-overtake',
      '--runs',
      '60',
      '--profile',
      'lan',
      '--json',
      // Plain progress lines would precede the summary on a slow machine.
      '--progress=none',
    ]);
    expect(r.code).toBe(1);
    const report = checkReportSchema.parse(JSON.parse(r.stdout));
    expect(report.designs[0]?.properties.find((p) => p.id === 'P8')?.status).toBe('violated');
    expect(r.stderr).toMatch(/^1 design, \d+ violations?, 1 mismatch: FAIL in /);
  });

  it('--report json=FILE junit=FILE tap=FILE github writes each, the JSON equal to what --json prints', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsl-report-'));
    const args = ['check', '--design', 'broken-overtake', '--runs', '60', '--profile', 'lan'];
    const files = ['json=out/r.json', 'junit=out/j.xml', 'tap=out/r.tap', 'github'];
    const [withFiles, json] = await Promise.all([
      run([...args, ...files.flatMap((f) => ['--report', f])], { cwd: dir }),
      run([...args, '--json']),
    ]);
    expect(withFiles.code).toBe(1);
    expect(await readFile(join(dir, 'out/r.json'), 'utf8')).toBe(json.stdout);
    const xml = await readFile(join(dir, 'out/j.xml'), 'utf8');
    expect(xml).toMatch(/<failure message="violated: /);
    // Measured wall time: the suite's is the exploration's, shared by its property cases.
    const suite = Number(/<testsuite [^>]* time="([\d.]+)">/.exec(xml)?.[1]);
    const cases = [...xml.matchAll(/<testcase [^>]* time="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(suite).toBeGreaterThan(0);
    expect(cases.length).toBeGreaterThan(10);
    for (const t of cases) expect(t).toBeGreaterThan(0);
    expect(Math.abs(cases.reduce((a, b) => a + b, 0) - suite)).toBeLessThan(0.001 * cases.length);
    expect(await readFile(join(dir, 'out/r.tap'), 'utf8')).toMatch(
      /^not ok \d+ - broken-overtake P8 order-and-seq$/m,
    );
    // --report github: the annotations on stdout, with the reproduce command.
    expect(withFiles.stdout).toMatch(
      /^::error title=broken-overtake P8 order-and-seq%3A violated::broken-overtake: c1: .*%0Areproduce: npx ws-lifecycle replay --design broken-overtake --seed \d+ --path [\d:]+ --profile lan$/m,
    );
    // Atomic writes leave no temporary file behind.
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['j.xml', 'r.json', 'r.tap']);
  });

  it("--out saves a user design's counterexample with its module path, and the corpus replays it", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsl-own-'));
    const source = await readFile(join(root, 'fixtures/designs/broken-overtake.ts'), 'utf8');
    // The copy imports the package's sources by absolute path.
    const file = join(dir, 'designs', 'mine.ts');
    await mkdir(join(dir, 'designs'));
    await writeFile(file, source.replace(/'\.\.\/\.\.\/src\//g, `'${join(root, 'src')}/`));
    const r = await run(
      ['check', '--design', './designs/mine.ts', '--runs', '60', '--profile', 'lan', '--out', 'corpus'],
      {
        cwd: dir,
      },
    );
    expect(r.code).toBe(1);
    const corpusDir = join(dir, 'corpus');
    const [saved] = (await loadCorpus(corpusDir)).filter((c) => c.entry.property === 'P8');
    expect(saved?.entry.module).toBe('../designs/mine.ts');
    if (saved === undefined) throw new Error('no P8 entry saved');
    const { design } = await loadDesign(corpusDesignSpec(corpusDir, saved.entry), '/');
    const again = await replayCorpusEntry(design, saved.entry);
    expect(again.verdicts.find((v) => v.id === 'P8')?.status).toBe('violated');
  });
});

describe('where the command runs and how it looks', () => {
  it('INIT_CWD is the user directory only when npm runs the command in its package root', () => {
    const env = { INIT_CWD: '/home/u/app/sub', npm_package_json: '/home/u/app/package.json' };
    expect(userCwd('/home/u/app', env)).toBe('/home/u/app/sub');
    expect(userCwd('/tmp/elsewhere', env)).toBe('/tmp/elsewhere');
    expect(userCwd('/home/u/app', {})).toBe('/home/u/app');
  });

  it('colour: FORCE_COLOR wins, then NO_COLOR, then a terminal', () => {
    expect(colorEnabled({ outIsTTY: true, env: {} })).toBe(true);
    expect(colorEnabled({ outIsTTY: false, env: {} })).toBe(false);
    expect(colorEnabled({ outIsTTY: true, env: { NO_COLOR: '1' } })).toBe(false);
    expect(colorEnabled({ outIsTTY: false, env: { FORCE_COLOR: '1' } })).toBe(true);
    expect(colorEnabled({ outIsTTY: true, env: { TERM: 'dumb' } })).toBe(false);
  });

  it('the report is coloured on a terminal and plain with NO_COLOR', async () => {
    const args = ['check', '--design', 'reference', '--runs', '5', '--profile', 'ideal'];
    const tty = await run(args, { outIsTTY: true, env: {} });
    const noColor = await run(args, { outIsTTY: true, env: { NO_COLOR: '1' } });
    expect(tty.stdout).toContain('\x1b[');
    expect(noColor.stdout).not.toContain('\x1b[');
  });
});
