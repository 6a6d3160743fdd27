import { describe, expect, it } from 'vitest';
import type { DesignReport, PropertyResult } from '../explore/explore.ts';
import type { Expectation } from './expectations.ts';
import { judgeReadings } from './judgeReadings.ts';
import type { PropertyId } from '../properties/propertyTypes.ts';
import { describeReadings } from '../report/readingReport.ts';
import type { ReadingSpace } from '../design/readings.ts';

/** A two-option axis whose first value is the default. */
const axis = (name: string, values: readonly [string, string]): ReadingSpace[number] => ({
  name,
  question: 'q',
  default: values[0],
  options: values.map((value) => ({ value, cites: `seed 000 ${value}` })),
});

const space: ReadingSpace = [axis('send', ['direct', 'batched'])];

function report(violated: readonly PropertyId[]): DesignReport {
  const ids: PropertyId[] = ['P2', 'P3', 'P8'];
  const properties: PropertyResult[] = ids.map((id) => ({
    id,
    status: violated.includes(id) ? 'violated' : 'held',
    runs: 10,
    exercised: 10,
  }));
  return {
    name: 'seed-000',
    profile: 'lan',
    seed: 1,
    runs: 10,
    properties,
    determinismFailures: [],
    elapsedMs: 0,
  };
}

const judge = (expectation: Expectation, direct: PropertyId[], batched: PropertyId[]) =>
  judgeReadings({
    name: 'seed-000',
    ref: 'seed-000',
    role: 'seed',
    space,
    perReading: [
      { reading: { send: 'direct' }, reports: [report(direct)] },
      { reading: { send: 'batched' }, reports: [report(batched)] },
    ],
    expectation,
    coverageRequired: false,
  });

const expectation: Expectation = {
  design: 'seed-000',
  expected: [
    { property: 'P3', claim: 'robust one' },
    { property: 'P8', claim: 'batched only', readings: ['send=batched'] },
  ],
};

describe('judgeReadings', () => {
  it('tells robust from reading-dependent violations and matches when each reading shows what it predicts', () => {
    const { row, readings } = judge(expectation, ['P3'], ['P3', 'P8', 'P2']);
    expect(readings.matches).toBe(true);
    expect(row.matches).toBe(true);
    const byId = Object.fromEntries(readings.findings.map((f) => [f.id, f]));
    expect(byId['P3']).toMatchObject({ robust: true, predicted: 'robust' });
    expect(byId['P8']).toMatchObject({
      robust: false,
      predicted: 'reading-dependent',
      violatedUnder: ['send=batched'],
    });
    expect(byId['P2']).toMatchObject({ robust: false, predicted: 'no' });
    // The matrix row is the default reading's.
    expect(row.properties.find((p) => p.id === 'P8')?.status).toBe('held');
    expect(describeReadings(readings, ['send=batched'])).toEqual(['only send=batched']);
  });

  it('a robust prediction not found under one reading is a mismatch naming that reading', () => {
    const { row, readings } = judge(expectation, [], ['P3', 'P8']);
    expect(row.matches).toBe(false);
    expect(readings.missing.map((m) => [m.expected.property, m.reading])).toEqual([['P3', 'send=direct']]);
  });

  it('a reading-dependent prediction is not required under the other readings', () => {
    const { readings } = judge(expectation, ['P3'], ['P3']);
    expect(readings.missing.map((m) => [m.expected.property, m.reading])).toEqual([['P8', 'send=batched']]);
  });

  it('a property the fix should make hold is a mismatch when violated under a reading it is listed for', () => {
    const withHold: Expectation = {
      ...expectation,
      holds: [{ property: 'P2', claim: 'fix works', readings: ['send=direct'] }],
    };
    expect(judge(withHold, ['P3'], ['P3', 'P8', 'P2']).readings.matches).toBe(true);
    const broken = judge(withHold, ['P3', 'P2'], ['P3', 'P8']).readings;
    expect(broken.matches).toBe(false);
    expect(broken.brokenHolds.map((h) => [h.expected.property, h.reading])).toEqual([['P2', 'send=direct']]);
  });

  it('describes a set of readings as a union of options or option pairs when it can', () => {
    const wide: ReadingSpace = [...space, axis('cleanup', ['locked', 'unlocked'])];
    const readings = ['direct', 'batched'].flatMap((send) =>
      ['locked', 'unlocked'].map((cleanup) => ({ reading: { send, cleanup }, reports: [report([])] })),
    );
    const { readings: r } = judgeReadings({
      name: 'seed-000',
      ref: 'seed-000',
      role: 'seed',
      space: wide,
      perReading: readings,
      coverageRequired: false,
    });
    const label = (send: string, cleanup: string): string => `send=${send},cleanup=${cleanup}`;
    expect(describeReadings(r, [label('batched', 'locked')])).toEqual([
      'only send=batched with cleanup=locked',
    ]);
    expect(
      describeReadings(r, [
        label('batched', 'locked'),
        label('batched', 'unlocked'),
        label('direct', 'unlocked'),
      ]),
    ).toEqual(['under send=batched, or cleanup=unlocked']);
    expect(describeReadings(r, [label('direct', 'locked'), label('batched', 'unlocked')])).toEqual([
      'under send=direct with cleanup=locked, or send=batched with cleanup=unlocked',
    ]);
  });
});
