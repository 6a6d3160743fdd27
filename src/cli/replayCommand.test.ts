/**
 * `replay FILE.json`: a saved counterexample replayed from the command line, its saved verdict
 * and today's, and every way a file can be bad (one line naming it, exit 2).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { maxJsonDepth } from '../trace/jsonDepth.ts';
import { runInProcess } from './runInProcess.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const naiveFile = 'fixtures/counterexamples/naive/P11-9633b08446.json';
const referenceFile = 'fixtures/counterexamples/reference/P12-a316f19a37.json';
const run = (...args: string[]): ReturnType<typeof runInProcess> => runInProcess(args, { cwd: root });

describe('replay FILE.json', () => {
  it('replays a saved counterexample that still fails: saved and current verdicts, timeline, exit 1', async () => {
    const r = await run('replay', naiveFile);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^replay naive: seed 3 path [\d:]+ profile lan \(saved in .*P11-9633b08446\.json\)$/m,
    );
    expect(r.stdout).toMatch(/^ {2}P11 {2}valid-close +violated$/m);
    expect(r.stdout).toMatch(/^> +\d+ t=0ms +c1 +app +close/m);
    expect(r.stdout).toMatch(/^saved: P11 valid-close violated in 6 steps: c1: close with code 1005/m);
    expect(r.stdout).toMatch(/^now: P11 valid-close STILL FAILS: c1: close with code 1005/m);
  });

  it('says when the saved property no longer fails (a fixed bug of the reference): exit 0', async () => {
    const r = await run('replay', referenceFile);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^saved: P12 isolation violated in \d+ steps/m);
    expect(r.stdout).toMatch(/^now: P12 isolation no longer fails \((held|not-exercised)\)$/m);
  });

  it('finds a design module the entry names relative to its corpus folder, from another directory', async () => {
    const r = await runInProcess(
      ['replay', join(root, 'fixtures/counterexamples/correct-self-heartbeat/P10-4339e3473f.json')],
      { cwd: tmpdir() },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^replay correct-self-heartbeat: .* profile swarm/m);
    expect(r.stdout).toMatch(/^now: P10 eventually-settled no longer fails/m);
  });

  it('writes --trace-out for a FILE, which check-trace reads back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-file-'));
    const r = await runInProcess(['replay', join(root, naiveFile), '--trace-out', 'sub/t.jsonl'], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    const header = JSON.parse(readFileSync(join(dir, 'sub/t.jsonl'), 'utf8').split('\n')[0] ?? '') as {
      meta: { corpusFile: string };
    };
    expect(header.meta.corpusFile).toBe(join(root, naiveFile));
    const check = await runInProcess(['check-trace', 'sub/t.jsonl'], { cwd: dir });
    expect(check.stdout).toMatch(/violated .*P11/);
  });

  describe('a bad FILE is one line naming it, exit 2, nothing run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-bad-'));
    const saved = readFileSync(join(root, naiveFile), 'utf8');
    writeFileSync(join(dir, 'not-json.json'), '{"design": ');
    writeFileSync(join(dir, 'no-property.json'), saved.replace('"property": "P11"', '"property": "P99"'));
    writeFileSync(
      join(dir, 'deep.json'),
      saved.replace('"choices": []', `"choices": ${'['.repeat(20_000)}${']'.repeat(20_000)}`),
    );
    mkdirSync(join(dir, 'folder.json'));
    it.each([
      ['missing.json', /^ws-lifecycle: missing\.json: no such file; pass a file that check --out saved$/m],
      ['not-json.json', /^ws-lifecycle: not-json\.json: not valid JSON \(/],
      ['no-property.json', /^ws-lifecycle: no-property\.json: property: unknown property id/],
      [
        'deep.json',
        new RegExp(`^ws-lifecycle: deep\\.json:\\d+: nested deeper than ${maxJsonDepth} levels;`),
      ],
      ['folder.json', /^ws-lifecycle: folder\.json: a folder, not a file/],
    ])('%s', async (file, message) => {
      const r = await runInProcess(['replay', file], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  });

  it.each([
    [['replay', naiveFile, '--seed', '3'], /replay .* takes its --seed from the file; pass either FILE or/],
    [['replay', naiveFile, naiveFile], /replay takes one saved counterexample, got 2 files/],
    [
      ['replay', naiveFile, '--trace-out', 'fixtures'],
      /--trace-out fixtures: .* is a folder; pass a file path/,
    ],
  ])('%j is bad input before any run: one line, exit 2', async (args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });
});
