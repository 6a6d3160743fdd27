import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explore } from '../explore/explore.ts';
import { loadDesign } from '../design/loadDesign.ts';
import { runInProcess } from './runInProcess.ts';

// replay and check-trace write --report html=FILE: the page of one run, and of a trace file.
let replayArgs: string[] = [];

beforeAll(async () => {
  const { design } = await loadDesign('naive', process.cwd());
  const report = await explore(design, { runs: 200, seed: 1, profile: 'lan' });
  const cx = report.properties.find((p) => p.counterexample !== undefined)?.counterexample;
  if (cx === undefined) throw new Error('naive showed no violation in 200 lan runs');
  replayArgs = ['--design', 'naive', '--seed', String(cx.seed), '--path', cx.path, '--profile', 'lan'];
});

const findings = (html: string): string[] =>
  [...html.matchAll(/data-design="[^"]*" data-property="(P\d+|DE)"/g)].map((m) => m[1] ?? '');

describe('--report html=FILE on replay and check-trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'html-flags-'));

  it('replay draws each violation of the run, with the reproduce command', async () => {
    const r = await runInProcess(
      ['replay', ...replayArgs, '--trace-out', 'run.jsonl', '--report', 'html=run.html'],
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    const html = readFileSync(join(dir, 'run.html'), 'utf8');
    const violated = [...r.stdout.matchAll(/^\s+(P\d+)\s+\S+\s+violated$/gm)].map((m) => m[1]);
    expect(findings(html)).toEqual(violated);
    expect(html).toContain(`reproduce: <code>npx ws-lifecycle replay ${replayArgs.join(' ')}</code>`);
    expect(html).toContain('<details class="step offending"');
  });

  it('check-trace draws the findings of the trace file the replay wrote', async () => {
    const r = await runInProcess(['check-trace', 'run.jsonl', '--report', 'html=trace.html'], { cwd: dir });
    expect(r.code).toBe(1);
    const html = readFileSync(join(dir, 'trace.html'), 'utf8');
    expect(findings(html).length).toBeGreaterThan(0);
    expect(html).toContain('<table class="matrix">');
  });

  it.each([
    [
      ['replay', '--design', 'naive', '--seed', '1', '--path', '1', '--report', 'json=r.json'],
      /replay writes only/,
    ],
    [
      ['check-trace', 'run.jsonl', '--report', 'pdf=r.pdf'],
      /--report must be json=FILE, junit=FILE, tap=FILE, html=FILE, github or github=FILE/,
    ],
    [['merge', 'x.json', '--report', 'html='], /--report must be/],
  ])('%j exits 2 with one line', async (args, message) => {
    const r = await runInProcess(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'r.json'))).toBe(false);
  });
});
