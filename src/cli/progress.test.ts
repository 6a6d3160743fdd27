/**
 * Progress on stderr: its text, its cadence (a fake clock), and a check run off a terminal
 * printing plain lines.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  duration,
  plainIntervalOf,
  progressFlag,
  progressIntervalVar,
  progressText,
  Progress,
  type ProgressOptions,
} from './progress.ts';
import { runInProcess } from './runInProcess.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A Progress on a fake clock; returns what it wrote and a way to move the clock. */
function fake(options: Omit<ProgressOptions, 'now'>, total = 10_000) {
  let t = 0;
  const written: string[] = [];
  const p = new Progress((s) => written.push(s), total, { ...options, now: () => t });
  return { p, written, at: (ms: number) => (t = ms) };
}

describe('progress text', () => {
  it('says runs done of total, rate, ETA, violations and what runs', () => {
    expect(progressText({ done: 8270, violations: 12, running: ['reference lan'] }, 26_800, 17_300)).toBe(
      'check 17.3 s: 8270/26800 runs (30%), 478 runs/s, ETA 38.8 s, 12 violations; running reference lan',
    );
    expect(progressText({ done: 0, violations: 1, running: ['a x', 'b y', 'c z'] }, 100, 0)).toBe(
      'check 0.0 s: 0/100 runs (0%), 0 runs/s, ETA ?, 1 violation; running a x, b y +1',
    );
    expect(
      progressText(
        { done: 8270, violations: 12, running: ['reference lan', 'naive lan'] },
        26_800,
        17_300,
        true,
      ),
    ).toBe('17.3 s 8270/26800 runs, 478 runs/s, ETA 38.8 s, 12 violations | reference lan +1');
    expect(duration(125_000)).toBe('2m05s');
  });

  it('--progress takes auto, tty, plain, none; anything else names them', () => {
    expect(progressFlag(undefined)).toBe('auto');
    expect(progressFlag('none')).toBe('none');
    expect(() => progressFlag('fancy')).toThrow(
      /--progress must be one of auto, tty, plain, none, got "fancy"/,
    );
    expect(plainIntervalOf({ [progressIntervalVar]: '250' })).toBe(250);
    expect(() => plainIntervalOf({ [progressIntervalVar]: 'soon' })).toThrow(/positive integer/);
  });
});

describe('progress cadence on a fake clock', () => {
  it('off a terminal: one plain line per interval with the facts of the latest update', () => {
    const { p, written, at } = fake({ mode: 'plain', intervalMs: 5000 });
    for (let ms = 0; ms <= 20_000; ms += 100) {
      at(ms);
      p.update({ done: ms / 4, violations: ms >= 12_000 ? 2 : 0, running: ['reference lan'] });
    }
    p.done();
    expect(written).toEqual([
      'check 5.0 s: 1250/10000 runs (12%), 250 runs/s, ETA 35.0 s, 0 violations; running reference lan\n',
      'check 10.0 s: 2500/10000 runs (25%), 250 runs/s, ETA 30.0 s, 0 violations; running reference lan\n',
      'check 15.0 s: 3750/10000 runs (37%), 250 runs/s, ETA 25.0 s, 2 violations; running reference lan\n',
      'check 20.0 s: 5000/10000 runs (50%), 250 runs/s, ETA 20.0 s, 2 violations; running reference lan\n',
    ]);
  });

  it('a poll without a new run still prints when due (a long shrink)', () => {
    const { p, written, at } = fake({ mode: 'plain', intervalMs: 5000 });
    p.update({ done: 10, violations: 0, running: ['seed-000 lan'] });
    at(4999);
    p.poll();
    expect(written).toHaveLength(0);
    at(5000);
    p.poll();
    expect(written).toHaveLength(1);
  });

  it('on a terminal: quiet for a second, then one line redrawn in place, cut to the width, cleared at the end', () => {
    const { p, written, at } = fake({ mode: 'tty', columns: 40 });
    for (let ms = 0; ms <= 2000; ms += 50) {
      at(ms);
      p.update({ done: ms, violations: 0, running: ['reference lan'] });
    }
    p.done();
    expect(written[0]).toMatch(/^\r1\.0 s 1000\/10000 runs/);
    expect(written).toHaveLength(1 + 5 + 1); // 1.0 s, then every 200 ms to 2.0 s, then the clear
    for (const w of written.slice(0, -1)) {
      expect(w.startsWith('\r') && w.endsWith('\x1b[K')).toBe(true);
      expect(w.length - '\r\x1b[K'.length).toBeLessThanOrEqual(39);
    }
    expect(written.at(-1)).toBe('\r\x1b[K');
  });

  it('none writes nothing', () => {
    const { p, written, at } = fake({ mode: 'none' });
    at(60_000);
    p.update({ done: 1, violations: 0, running: [] });
    p.done();
    expect(written).toEqual([]);
  });
});

describe('check off a terminal', () => {
  it('prints plain progress lines on stderr, none on stdout', async () => {
    const r = await runInProcess(
      ['check', '--design', 'reference', '--runs', '150', '--profile', 'lan', '--progress=plain'],
      { cwd: root, env: { [progressIntervalVar]: '20' } },
    );
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const l of lines)
      expect(l).toMatch(
        /^check \d+\.\d s: \d+\/150 runs \(\d+%\), \d+ runs\/s, ETA .+, \d+ violations?(; running reference lan)?$/,
      );
    expect(r.stdout).not.toMatch(/^check \d/m);
  });

  it('a bad --progress is one line and exit 2', async () => {
    const r = await runInProcess(['check', '--progress=fancy'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^ws-lifecycle: --progress must be one of auto, tty, plain, none, got "fancy"; .+\n$/,
    );
  });
});
