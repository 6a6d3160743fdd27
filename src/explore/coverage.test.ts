import { describe, expect, it } from 'vitest';
import { CoverageTally, mergeFields } from './coverage.ts';
import type { PropertyId, PropertyStatus, PropertyVerdict } from '../properties/propertyTypes.ts';

function verdict(
  id: PropertyId,
  status: PropertyStatus,
  exercised: number,
  message: string = status,
): PropertyVerdict {
  return { id, status, steps: status === 'violated' ? [3] : [], message, exercised };
}

function statusOf(tally: CoverageTally, id: PropertyId): PropertyStatus | undefined {
  return tally.summary().find((s) => s.id === id)?.status;
}

describe('CoverageTally', () => {
  it('is violated when any run violated, keeping the first violation', () => {
    const tally = new CoverageTally();
    tally.add([verdict('P2', 'held', 2)]);
    tally.add([verdict('P2', 'violated', 1, 'first')]);
    tally.add([verdict('P2', 'violated', 1, 'second')]);
    const [p2] = tally.summary();
    expect(p2?.status).toBe('violated');
    expect(p2?.firstViolation?.message).toBe('first');
    expect(p2?.runs).toBe(3);
    expect(p2?.violatedRuns).toBe(2);
    expect(p2?.exercised).toBe(4);
  });

  it('is not-applicable only when every run was', () => {
    const tally = new CoverageTally();
    tally.add([verdict('P14', 'not-applicable', 0), verdict('P9', 'not-applicable', 0)]);
    tally.add([verdict('P14', 'not-applicable', 0), verdict('P9', 'held', 1)]);
    expect(statusOf(tally, 'P14')).toBe('not-applicable');
    expect(statusOf(tally, 'P9')).toBe('held');
  });

  it('is not-exercised when the precondition never occurred in any run', () => {
    const tally = new CoverageTally();
    tally.add([verdict('P2', 'not-exercised', 0), verdict('P3', 'not-exercised', 0)]);
    tally.add([verdict('P2', 'not-exercised', 0), verdict('P3', 'held', 1)]);
    expect(statusOf(tally, 'P2')).toBe('not-exercised');
    expect(statusOf(tally, 'P3')).toBe('held');
    expect(tally.summary().find((s) => s.id === 'P3')?.exercisedRuns).toBe(1);
  });

  it('lists properties in P1..P14 order whatever the order added, and only those seen', () => {
    const tally = new CoverageTally();
    tally.add([verdict('P11', 'held', 1), verdict('P2', 'held', 1), verdict('P10', 'held', 1)]);
    expect(tally.summary().map((s) => s.id)).toEqual(['P2', 'P10', 'P11']);
  });

  it('merged from consecutive run sets, in order, is the tally of the whole set at any split', () => {
    const runs: PropertyVerdict[][] = [
      [verdict('P2', 'held', 2), verdict('P14', 'not-applicable', 0)],
      [verdict('P2', 'violated', 1, 'first'), verdict('P3', 'not-exercised', 0)],
      [verdict('P2', 'violated', 1, 'second'), verdict('P14', 'held', 1)],
      [verdict('P3', 'held', 4), verdict('P9', 'violated', 0, 'only')],
    ];
    const whole = new CoverageTally();
    for (const r of runs) whole.add(r);
    for (let cut = 0; cut <= runs.length; cut++) {
      const [a, b] = [new CoverageTally(), new CoverageTally()];
      runs.slice(0, cut).forEach((r) => a.add(r));
      runs.slice(cut).forEach((r) => b.add(r));
      // Across threads a tally travels as data.
      a.merge(CoverageTally.fromData(structuredClone(b.toData())));
      expect(a.summary(), `cut at ${cut}`).toEqual(whole.summary());
    }
  });
});

describe('mergeFields', () => {
  it('adds numbers, merges Maps key by key, keeps the earlier sample, takes one where none was', () => {
    const earlier = {
      runs: 2,
      first: { m: 'a' },
      none: undefined as string | undefined,
      hits: new Map([['p', 1]]),
    };
    mergeFields(earlier, {
      runs: 3,
      first: { m: 'b' },
      none: 'later',
      hits: new Map([
        ['q', 2],
        ['p', 4],
      ]),
    });
    expect(earlier).toEqual({
      runs: 5,
      first: { m: 'a' },
      none: 'later',
      hits: new Map([
        ['p', 5],
        ['q', 2],
      ]),
    });
    expect([...earlier.hits.keys()]).toEqual(['p', 'q']);
  });
});
