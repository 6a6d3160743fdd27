import { describe, expect, it } from 'vitest';
import { port as naive } from '../../fixtures/designs/naive.ts';
import { port as seed000 } from '../../fixtures/designs/seed-000.ts';
import { port as seed001 } from '../../fixtures/designs/seed-001.ts';
import { port as seed004 } from '../../fixtures/designs/seed-004.ts';
import {
  defaultReading,
  readingLabel,
  readingMatches,
  readingsToRun,
  unknownOption,
  type ReadingSpace,
} from './readings.ts';

const space = (sizes: readonly number[]): ReadingSpace =>
  sizes.map((n, k) => ({
    name: `a${k}`,
    question: 'q',
    default: 'v0',
    options: Array.from({ length: n }, (_, j) => ({ value: `v${j}`, cites: 'seed' })),
  }));

describe('readingsToRun', () => {
  it('runs every combination, the default first, when there are few', () => {
    const s = space([2, 2, 2]);
    const runs = readingsToRun(s).map((r) => readingLabel(s, r));
    expect(runs).toHaveLength(8);
    expect(new Set(runs).size).toBe(8);
    expect(runs[0]).toBe('a0=v0,a1=v0,a2=v0');
  });

  it('above the limit, a covering set: the default plus each other option alone', () => {
    const s = space([3, 3, 2]);
    const runs = readingsToRun(s);
    expect(runs).toHaveLength(1 + 2 + 2 + 1);
    for (const axis of s) {
      for (const o of axis.options) expect(runs.some((r) => r[axis.name] === o.value)).toBe(true);
    }
    // one factor at a time: every reading differs from the default on at most one axis
    const base = defaultReading(s);
    for (const r of runs) expect(s.filter((a) => r[a.name] !== base[a.name]).length).toBeLessThanOrEqual(1);
  });

  it('a space without axes has the one empty reading', () => {
    expect(readingsToRun([])).toEqual([{}]);
  });
});

describe('readingMatches and unknownOption', () => {
  it('matches every listed option, and an empty list matches all', () => {
    expect(readingMatches({ send: 'batched', cleanup: 'locked' }, ['send=batched'])).toBe(true);
    expect(readingMatches({ send: 'batched', cleanup: 'locked' }, ['send=batched', 'cleanup=unlocked'])).toBe(
      false,
    );
    expect(readingMatches({ send: 'direct' }, [])).toBe(true);
  });

  it('names the first option the space does not have', () => {
    expect(unknownOption(seed000.readings, ['send=batched', 'send=teleport'])).toBe('send=teleport');
    expect(unknownOption(seed000.readings, ['callers=agents'])).toBeNull();
  });
});

describe.each([
  ['naive', naive],
  ['seed-000', seed000],
  ['seed-001', seed001],
  ['seed-004', seed004],
])('the reading space of %s', (name, port) => {
  it('every axis has its default among its options, and every option cites a seed', () => {
    for (const axis of port.readings) {
      expect(axis.options.map((o) => o.value)).toContain(axis.default);
      expect(axis.options.length).toBeGreaterThanOrEqual(2);
      for (const o of axis.options) expect(o.cites).toMatch(/^seed 00[0-4] /);
    }
  });

  it('builds a design named after the port for every reading', () => {
    for (const reading of readingsToRun(port.readings)) expect(port.design(reading).name).toBe(name);
  });
});
