/**
 * A checker that throws is the checker's failure, not the design's: its property is
 * `checker-error` in every report, and the command exits 3 (exitCodes.ts). P3's checker is
 * replaced here by one that throws on the app's first socket call.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CoverageTally } from '../explore/coverage.ts';
import { judgeDesign } from '../judge/judgeDesign.ts';
import { contextFor, TraceBuilder } from '../properties/traceBuilder.ts';
import { checkTrace } from '../properties/checkTrace.ts';
import { toCheckReport } from '../report/checkReport.ts';
import { junitReport } from '../report/junitReport.ts';
import { renderReport, summaryLine } from '../report/report.ts';
import { tapReport } from '../report/tapReport.ts';
import { githubReport } from '../report/githubReport.ts';
import { traceFileText } from '../trace/traceFile.ts';
import type { TraceHeader } from '../trace/traceFormat.ts';
import { exitCodes, verdictExit } from './exitCodes.ts';
import { runInProcess } from './runInProcess.ts';

vi.mock('../properties/index.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../properties/index.ts')>();
  const { defineProperty } = await import('../properties/fold.ts');
  const p3 = original.properties.find((p) => p.id === 'P3');
  if (p3 === undefined) throw new Error('no P3');
  const broken = defineProperty({
    ...p3,
    init: () => null,
    step(_state, entry) {
      if (entry.actor === 'app') throw new TypeError('a bug in the checker');
    },
    finish: () => ({ id: 'P3', status: 'held', steps: [], message: 'held', exercised: 1 }),
  });
  return { ...original, properties: original.properties.map((p) => (p.id === 'P3' ? broken : p)) };
});

const thrown = 'checker no-receive-after-close failed on this trace: a bug in the checker';

/** A connection that is accepted, receives, and is closed by its client: P3 is exercised. */
function session(): TraceBuilder {
  const b = new TraceBuilder();
  b.ready('c1', 'u1');
  b.receive('c1');
  b.receivedDisconnect('c1');
  b.settled({ c1: 'closed' });
  return b;
}

const header: TraceHeader = {
  format: 'ws-lifecycle-trace',
  version: 1,
  source: 'real',
  recorder: 'test',
  design: { name: 'reference', kind: 'reducer' },
  profile: null,
};

describe('a checker that throws', () => {
  it('check-trace: the cell is ERR, every report says checker-error, and the exit code is 3', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'checker-error-'));
    writeFileSync(join(dir, 'run.jsonl'), traceFileText(header, session().run().trace));
    const { code, stdout: text } = await runInProcess(
      [
        'check-trace',
        'run.jsonl',
        '--report',
        'json=r.json',
        '--report',
        'junit=r.xml',
        '--report',
        'tap=r.tap',
      ],
      { cwd: dir },
    );
    expect(code).toBe(exitCodes.checkerError);
    expect(text).toMatch(/^run\.jsonl\s+nc\s+nc\s+ERR\s+ok\s/m);
    expect(text).toContain(`CHECKER ERROR: P3 no-receive-after-close was not judged: ${thrown}`);
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as {
      designs: { matches: boolean; properties: { id: string; status: string; checkerError?: string }[] }[];
      summary: { verdict: string; checkerErrors?: number; violations: number };
    };
    expect(json.designs[0]?.properties.find((p) => p.id === 'P3')).toMatchObject({
      status: 'checker-error',
      checkerError: thrown,
    });
    expect(json.designs[0]?.matches).toBe(true);
    expect(json.summary).toMatchObject({ verdict: 'error', checkerErrors: 1, violations: 0 });
    const junit = readFileSync(join(dir, 'r.xml'), 'utf8');
    expect(junit).toContain(`<error message="checker error: ${thrown}" type="checker-error">`);
    expect(junit).toMatch(/failures="0" errors="1"/);
    expect(readFileSync(join(dir, 'r.tap'), 'utf8')).toMatch(
      /^not ok \d+ - run\.jsonl P3 no-receive-after-close$/m,
    );
  });

  it('replay: the property is checker-error and the exit code is 3', async () => {
    const saved = join(process.cwd(), 'fixtures/counterexamples/broken-overtake/P8-550f251f89.json');
    const { code, stdout } = await runInProcess(['replay', saved], { cwd: process.cwd() });
    expect(code).toBe(exitCodes.checkerError);
    expect(stdout).toMatch(/^ {2}P3 +no-receive-after-close +checker-error$/m);
  });

  it('check: the tally, the judge and the report make it an ERROR that is no violation of the design', () => {
    const run = session().run();
    const verdicts = checkTrace(run, contextFor('reducer', { profile: 'lan' }));
    expect(verdicts.find((v) => v.id === 'P3')?.status).toBe('checker-error');
    const tally = new CoverageTally();
    tally.add(verdicts);
    tally.add(verdicts);
    const properties = tally.summary().map((s) => ({
      id: s.id,
      status: s.status,
      runs: s.runs,
      exercised: s.exercised,
      ...(s.firstCheckerError === undefined ? {} : { checkerError: s.firstCheckerError.message }),
    }));
    const report = {
      name: 'reference',
      profile: 'lan',
      seed: 1,
      runs: 2,
      properties,
      determinismFailures: [],
      elapsedMs: 0,
    } as const;
    const result = judgeDesign({
      name: 'reference',
      ref: 'reference',
      role: 'reference',
      reports: [report],
      coverageRequired: false,
    });
    expect(result.checkerErrors).toEqual(['P3']);
    expect(result.unexpected).not.toContain('P3');
    const checkReport = toCheckReport([result], { seed: 1, timing: false });
    expect(checkReport.summary).toMatchObject({ verdict: 'error', checkerErrors: 1 });
    expect(verdictExit(checkReport.summary.verdict)).toBe(3);
    expect(summaryLine(checkReport, 0)).toMatch(/1 checker error\(s\): ERROR in/);
    expect(renderReport([result], { seed: 1, timing: false, columns: 400 })).toContain(
      `CHECKER ERROR: P3 no-receive-after-close was not judged (${thrown})`,
    );
    expect(junitReport(checkReport)).toContain('<error message="checker error:');
    expect(tapReport(checkReport)).toMatch(/^not ok \d+ - reference P3 no-receive-after-close$/m);
    expect(githubReport(checkReport)).toContain(
      '::error title=reference P3 no-receive-after-close%3A checker error::',
    );
  });
});
