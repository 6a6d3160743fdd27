/**
 * The text `check` prints off a terminal fits 80 columns, and a counterexample two properties
 * share is printed once.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { knobsLine } from './checkRun.ts';
import { runInProcess } from './runInProcess.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('check text at 80 columns', () => {
  it('no line is wider than 80 columns, except reproduce commands (copied, not read)', async () => {
    // naive and seed-000: long messages, wide timeline rows, paths and readings sections.
    const r = await runInProcess(
      [
        'check',
        '--design',
        'naive',
        '--design',
        'seed-000',
        '--profile',
        'lan',
        '--runs',
        '30',
        '--progress=none',
      ],
      { cwd: root },
    );
    expect(r.stdout).toMatch(/^naive .*X\*/m);
    const lines = r.stdout.split('\n');
    const wide = lines.filter((l) => [...l].length > 80 && !l.trimStart().startsWith('reproduce: '));
    expect(wide).toEqual([]);
    // Wrapping leaves no trailing space.
    expect(lines.filter((l) => l.endsWith(' '))).toEqual([]);
    // Every mark the matrix and the timelines use is in the legend.
    const legend = lines.slice(lines.findIndex((l) => l.startsWith('cells: ')));
    const told = legend.slice(0, 4).join(' ');
    for (const mark of [
      'ok held',
      'X violated',
      'X*',
      'ok!/nc!',
      'nc never',
      '- not applicable',
      '> offending',
      '(+N more)',
    ])
      expect(told).toContain(mark);
    // A counterexample that is an earlier one's run and timeline is printed once (naive's P13
    // is its P3's run).
    expect(r.stdout).toMatch(/^naive {2}P\d+ [a-z-]+.*\n(?:.*\n){1,4} {2}same run as P\d+ above/m);
  });

  it('a profile is one short line of latency and fault rates; --verbose lists every knob', () => {
    expect(knobsLine('ideal', false)).toBe('  ideal: no latency; no faults');
    expect(knobsLine('hostile', false)).toBe(
      '  hostile: 0-400 ms latency; close 10% drop 5% sendfail 5% authfail 10% stall 5%',
    );
    expect(knobsLine('hostile', true)).toMatch(/^ {2}hostile: latencyMsMin=0 .* writeBufferFrames=4$/);
  });
});
