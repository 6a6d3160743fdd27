import { describe, expect, it } from 'vitest';
import { design as brokenOvertake } from '../../fixtures/designs/broken-overtake.ts';
import { serializeTrace } from '../sim/trace.ts';
import { explore, firstDifference } from './explore.ts';
import { replay, scenarioAt } from './replay.ts';

describe('explore + replay', () => {
  it('finds P8 in broken-overtake, shrinks it, and replay reproduces the same scenario and verdict', async () => {
    const report = await explore(brokenOvertake, { runs: 200, seed: 1, profile: 'lan' });
    const p8 = report.properties.find((p) => p.id === 'P8');
    expect(p8?.status).toBe('violated');
    const cx = p8?.counterexample;
    if (cx === undefined) throw new Error('no counterexample');
    expect(cx.runsToFirstFailure).toBeGreaterThan(0);
    expect(cx.runsToFirstFailure).toBeLessThanOrEqual(report.runs);
    // Shrunk to two emits on one connection: the smallest overtaking.
    const emits = cx.scenario.commands.filter((c) => c.kind === 'emit');
    expect(emits).toHaveLength(2);
    expect(cx.timeline.at(-1)?.i).toBe(cx.offending[0]);

    const again = await scenarioAt({ seed: cx.seed, path: cx.path, profile: 'lan' });
    expect(again).toEqual(cx.scenario);
    const replayed = await replay(brokenOvertake, { seed: cx.seed, path: cx.path, profile: 'lan' });
    expect(replayed.verdicts.find((v) => v.id === 'P8')?.steps).toEqual(cx.offending);
    expect(report.determinismFailures).toEqual([]);
  });

  it('is deterministic: the same seed gives the same report (timing aside)', async () => {
    const strip = (r: Awaited<ReturnType<typeof explore>>): string =>
      JSON.stringify({ ...r, elapsedMs: 0 }, (k, v: unknown) => (k === 'msToFirstFailure' ? 0 : v));
    const a = await explore(brokenOvertake, { runs: 40, seed: 5, profile: 'hostile' });
    const b = await explore(brokenOvertake, { runs: 40, seed: 5, profile: 'hostile' });
    expect(strip(a)).toBe(strip(b));
  });

  it('spends exactly the run budget and reports progress per generated run', async () => {
    const seen: number[] = [];
    const report = await explore(brokenOvertake, {
      runs: 30,
      seed: 2,
      profile: 'ideal',
      onProgress: (n) => seen.push(n),
    });
    expect(report.runs).toBe(30);
    expect(seen).toEqual(Array.from({ length: 30 }, (_, k) => k + 1));
  });
});

describe('firstDifference', () => {
  it('is -1 for equal traces and the first differing line otherwise', () => {
    expect(firstDifference('a\nb', 'a\nb')).toBe(-1);
    expect(firstDifference('a\nb\nc', 'a\nx\nc')).toBe(1);
    expect(firstDifference('a', 'a\nb')).toBe(1);
    expect(serializeTrace([])).toBe(serializeTrace([]));
  });
});
