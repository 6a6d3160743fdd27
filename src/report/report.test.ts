import { describe, expect, it } from 'vitest';
import { design as broken } from '../../fixtures/designs/broken-overtake.ts';
import { reference } from '../designs/reference.ts';
import { toCheckReport } from './checkReport.ts';
import type { DesignResult } from '../judge/judgeDesign.ts';
import { junitReport } from './junitReport.ts';
import { properties } from '../properties/index.ts';
import { cell, renderMatrix, renderReport, summaryLine, type Paint } from './report.ts';
import { checkReportSchema, timelineStepSchema } from './reportSchema.ts';
import { runChecks } from '../judge/runChecks.ts';
import { stepLines } from './timelineSteps.ts';

// Two real, small checks: the reference (holds) and a broken copy (violates P8).
const [held, failed] = await runChecks(
  [
    { design: reference, ref: 'reference', role: 'reference', profiles: ['lan'], runs: 30 },
    { design: broken, ref: 'fixtures/designs/broken-overtake.ts', role: 'user', profiles: ['lan'], runs: 60 },
  ],
  { seed: 1 },
);
if (held === undefined || failed === undefined) throw new Error('runChecks returned too few results');
const longName: DesignResult = { ...failed, name: 'broken-overtake-with-a-rather-long-design-name' };

const brackets: Paint = {
  bad: (s) => `\x1b[31m${s}\x1b[39m`,
  good: (s) => `\x1b[32m${s}\x1b[39m`,
  warn: (s) => `\x1b[33m${s}\x1b[39m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
  strong: (s) => `\x1b[1m${s}\x1b[22m`,
};
// eslint-disable-next-line no-control-regex
const plain = (s: string): string => s.replace(/\x1b\[\d+m/g, '');

describe('renderMatrix', () => {
  it('fits 80 columns with every property, cutting a long design name, never a cell', () => {
    const text = renderMatrix([held, failed, longName], 80);
    const lines = text.split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(lines[0]?.split(/\s+/).slice(1)).toEqual(properties.map((p) => p.id));
    expect(lines[1]).toMatch(/^reference +ok /);
    // One column of four per property and a space leave the name the rest: the cut keeps one
    // less and an ellipsis.
    const name = 80 - 4 * properties.length - 1;
    expect(lines[3]?.slice(0, name)).toBe(`${longName.name.slice(0, name - 1)}\u2026`);
    // The P8 column of the broken copy holds its X.
    const p8 = (lines[0] ?? '').indexOf('P8');
    expect(lines[2]?.slice(p8, p8 + 2)).toBe('X ');
  });

  it('colours cells without taking columns', () => {
    const text = renderMatrix([held, failed], 80, brackets);
    expect(text).toContain('\x1b[31mX\x1b[39m');
    expect(text).toContain('\x1b[32mok\x1b[39m');
    expect(plain(text)).toBe(renderMatrix([held, failed], 80));
  });

  it('cells: * for an expected violation found, ! for one expected and not found', () => {
    expect(cell({ status: 'violated', expected: true })).toBe('X*');
    expect(cell({ status: 'held', expected: true })).toBe('ok!');
    expect(cell({ status: 'not-exercised', expected: false })).toBe('nc');
    expect(cell({ status: 'not-applicable', expected: false })).toBe('-');
  });
});

describe('the report', () => {
  const report = toCheckReport([held, failed], { seed: 1, timing: false });

  it('is described by checkReportSchema, which refuses a report with an unknown property id', () => {
    expect(checkReportSchema.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
    const bad = JSON.parse(JSON.stringify(report)) as { designs: { properties: { id: string }[] }[] };
    const first = bad.designs[0]?.properties[0];
    if (first !== undefined) first.id = 'P99';
    expect(checkReportSchema.safeParse(bad).success).toBe(false);
  });

  it('gives a counterexample timeline as steps, which the text report prints line for line', () => {
    const cx = report.designs[1]?.properties.find((p) => p.id === 'P8')?.counterexample;
    if (cx === undefined) throw new Error('no P8 counterexample');
    for (const step of cx.timeline) expect(timelineStepSchema.parse(step)).toEqual(step);
    expect(cx.timeline).toHaveLength(cx.steps);
    expect(cx.timeline.at(-1)).toMatchObject({ offending: true });
    expect(cx.timeline.map((s) => s.i)).toEqual([...cx.timeline.map((s) => s.i)].sort((a, b) => a - b));
    expect(renderReport([failed], { seed: 1, timing: false, columns: 1000 })).toContain(
      stepLines(cx.timeline).join('\n'),
    );
    // The schema refuses the older shape (one string per step) and a step without its mark.
    const parsed = JSON.parse(JSON.stringify(report)) as {
      designs: { properties: { counterexample?: { timeline: unknown[] } }[] }[];
    };
    const json = parsed.designs[1]?.properties.find((p) => p.counterexample)?.counterexample;
    if (json === undefined) throw new Error('no counterexample in the JSON');
    const steps = json.timeline;
    json.timeline = stepLines(cx.timeline);
    expect(checkReportSchema.safeParse(parsed).success).toBe(false);
    json.timeline = steps.map((s) => ({ ...(s as object), offending: undefined }));
    expect(checkReportSchema.safeParse(parsed).success).toBe(false);
  });

  it('summary: designs, violations, mismatches, verdict and time', () => {
    expect(report.summary).toEqual({ designs: 2, violations: 1, mismatches: 1, verdict: 'fail' });
    expect(summaryLine(report, 41_230)).toBe('2 designs, 1 violation, 1 mismatch: FAIL in 41.2 s');
  });

  it('the text report carries the timeline and the quoted replay command', () => {
    const text = renderReport([{ ...failed, ref: './ws life/x.ts' }], { seed: 1, timing: false });
    expect(text).toMatch(/^> +\d+ t=\d+ms/m);
    expect(text).toContain("reproduce: npx ws-lifecycle replay --design './ws life/x.ts' --seed ");
  });

  it('JUnit: one failed case per violation that breaks the verdict, escaped', () => {
    const xml = junitReport(report);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(xml).toContain(
      '<testsuite name="reference" tests="14" failures="0"'.replace('14', String(properties.length)),
    );
    expect(xml).toContain('<testsuite name="broken-overtake" tests="');
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml).toMatch(
      /<testcase classname="broken-overtake" name="P8 order-and-seq" time="[\d.]+">\n\s+<failure message="violated: /,
    );
    expect(xml).not.toMatch(/<(?!\/?(testsuites|testsuite|testcase|failure|skipped|system-out|\?xml))[a-z]/);
  });
});
