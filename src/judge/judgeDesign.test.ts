import { describe, expect, it } from 'vitest';
import type { DesignReport, PropertyResult } from '../explore/explore.ts';
import type { Expectation } from './expectations.ts';
import { toCheckReport } from '../report/checkReport.ts';
import { judgeDesign } from './judgeDesign.ts';
import { junitReport } from '../report/junitReport.ts';
import type { PropertyId, PropertyStatus } from '../properties/propertyTypes.ts';
import { renderReport } from '../report/report.ts';
import type { ExploreProfile } from '../explore/scenarioArb.ts';

function report(
  profile: ExploreProfile,
  statuses: Partial<Record<PropertyId, PropertyStatus>>,
): DesignReport {
  const properties: PropertyResult[] = Object.entries(statuses).map(([id, status = 'held']) => ({
    id: id as PropertyId,
    status,
    runs: 10,
    exercised: status === 'not-exercised' ? 0 : 3,
  }));
  return { name: 'd', profile, seed: 1, runs: 10, properties, determinismFailures: [], elapsedMs: 5 };
}

const expectation: Expectation = {
  design: 'd',
  expected: [
    { property: 'P1', claim: 'a' },
    { property: 'P8', claim: 'b', profile: 'cloud-run' },
  ],
};

describe('judgeDesign', () => {
  it('a seed design matches when every expected violation is found where required', () => {
    const r = judgeDesign({
      name: 'd',
      ref: 'd',
      role: 'seed',
      reports: [
        report('lan', { P1: 'violated', P8: 'held' }),
        report('cloud-run', { P1: 'held', P8: 'violated' }),
      ],
      expectation,
      coverageRequired: true,
    });
    expect(r.matches).toBe(true);
    expect(r.properties.find((p) => p.id === 'P1')).toMatchObject({
      status: 'violated',
      runs: 20,
      exercised: 6,
      expected: true,
    });
  });

  it('a violation under the wrong profile is a missing expectation', () => {
    const r = judgeDesign({
      name: 'd',
      ref: 'd',
      role: 'seed',
      reports: [
        report('lan', { P1: 'violated', P8: 'violated' }),
        report('cloud-run', { P1: 'held', P8: 'held' }),
      ],
      expectation,
      coverageRequired: true,
    });
    expect(r.matches).toBe(false);
    expect(r.missing.map((m) => m.property)).toEqual(['P8']);
  });

  it('extra violations of a seed design are reported as unexpected but do not fail it', () => {
    const r = judgeDesign({
      name: 'd',
      ref: 'd',
      role: 'seed',
      reports: [report('cloud-run', { P1: 'violated', P8: 'violated', P13: 'violated' })],
      expectation,
      coverageRequired: true,
    });
    expect(r.unexpected).toEqual(['P13']);
    expect(r.matches).toBe(true);
  });

  it('the reference must hold everything and, with enough runs, exercise everything', () => {
    const base = { name: 'reference', ref: 'reference', role: 'reference' as const };
    expect(
      judgeDesign({ ...base, reports: [report('lan', { P1: 'held', P14: 'held' })], coverageRequired: true })
        .matches,
    ).toBe(true);
    expect(
      judgeDesign({ ...base, reports: [report('lan', { P1: 'violated' })], coverageRequired: true }).matches,
    ).toBe(false);
    const gap = judgeDesign({
      ...base,
      reports: [report('lan', { P2: 'not-exercised' })],
      coverageRequired: true,
    });
    expect(gap.coverageGaps).toEqual(['P2']);
    expect(gap.matches).toBe(false);
    expect(
      judgeDesign({ ...base, reports: [report('lan', { P2: 'not-exercised' })], coverageRequired: false })
        .matches,
    ).toBe(true);
  });

  it("a user's design fails on a property never exercised, as the reference does; a seed design does not", () => {
    const reports = [report('lan', { P1: 'held', P6: 'not-exercised' })];
    const user = judgeDesign({ name: 'u', ref: './u.ts', role: 'user', reports, coverageRequired: true });
    expect(user.coverageGaps).toEqual(['P6']);
    expect(user.matches).toBe(false);
    const seed = judgeDesign({ name: 's', ref: 's', role: 'seed', reports, coverageRequired: true });
    expect(seed.coverageGaps).toEqual(['P6']);
    expect(seed.matches).toBe(true);
  });

  it('merges statuses across profiles: violated over held over not-exercised over n/a', () => {
    const r = judgeDesign({
      name: 'u',
      ref: './u.ts',
      role: 'user',
      reports: [
        report('ideal', { P14: 'not-applicable', P2: 'not-exercised' }),
        report('lan', { P14: 'held', P2: 'not-applicable' }),
      ],
      coverageRequired: false,
    });
    expect(r.properties.map((p) => [p.id, p.status])).toEqual([
      ['P14', 'held'],
      ['P2', 'not-exercised'],
    ]);
  });

  it('a coverage gap is a JUnit failure exactly where the text says it fails the design', () => {
    const reports = [report('lan', { P1: 'held', P6: 'not-exercised' })];
    const p6Case = /name="P6 critical-retained" time="[\d.]+">\n\s+<(\w+) message="([^"]*)"/;
    for (const [role, coverageRequired, fails] of [
      ['user', true, true],
      ['reference', true, true],
      ['user', false, false],
      ['reference', false, false],
      ['seed', true, false],
    ] as const) {
      const r = judgeDesign({ name: 'd', ref: './d.ts', role, reports, coverageRequired });
      const text = renderReport([r], { seed: 1, timing: false });
      const xml = junitReport(toCheckReport([r], { seed: 1, timing: false }));
      const label = `${role}, coverageRequired ${String(coverageRequired)}`;
      expect(text.includes('this fails the design'), label).toBe(fails);
      expect(r.matches, label).toBe(!fails);
      expect(xml.match(p6Case)?.slice(1), label).toEqual(
        fails
          ? ['failure', 'never exercised: P6 critical-retained']
          : ['skipped', 'never exercised, not counted'],
      );
    }
  });
});
