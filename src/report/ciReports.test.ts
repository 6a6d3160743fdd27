/**
 * The CI reports (JUnit, GitHub annotations, TAP) against the verdict: rows judged by
 * judgeDesign from made-up explorations, so every rule is met without running a design.
 */
import { describe, expect, it } from 'vitest';
import { toCheckReport } from './checkReport.ts';
import type { CiDesign } from './ciVerdict.ts';
import type { DesignReport } from '../explore/explore.ts';
import { escapeData, escapeProperty, githubReport } from './githubReport.ts';
import { judgeDesign, type DesignResult, type DesignRole } from '../judge/judgeDesign.ts';
import { junitReport } from './junitReport.ts';
import { properties } from '../properties/index.ts';
import type { PropertyId, PropertyStatus } from '../properties/propertyTypes.ts';
import { tapReport } from './tapReport.ts';

/** A row judged from one lan exploration in which every property held but those in `cells`. */
function judged(
  name: string,
  role: DesignRole,
  cells: Partial<Record<PropertyId, PropertyStatus>>,
  more: { expected?: PropertyId[]; coverageRequired?: boolean; determinism?: boolean } = {},
): DesignResult {
  const report: DesignReport = {
    name,
    profile: 'lan',
    seed: 1,
    runs: 100,
    elapsedMs: 1600,
    properties: properties.map((p) => {
      const status = cells[p.id] ?? 'held';
      return { id: p.id, status, runs: 100, exercised: status === 'not-exercised' ? 0 : 10 };
    }),
    determinismFailures: more.determinism
      ? [{ profile: 'lan', seed: 1, path: '3:0', scenario: { connections: [] } as never, firstDifference: 4 }]
      : [],
  };
  const expected = (more.expected ?? []).map((property) => ({ property, claim: 'the seed says so' }));
  return judgeDesign({
    name,
    ref: name,
    role,
    reports: [report],
    ...(expected.length === 0 ? {} : { expectation: { design: name, expected } }),
    coverageRequired: more.coverageRequired ?? true,
  });
}

const rows: DesignResult[] = [
  judged('ref-holds', 'reference', {}),
  judged('ref-violates', 'reference', { P8: 'violated' }),
  judged('ref-nc', 'reference', { P11: 'not-exercised' }),
  judged('ref-nc-few-runs', 'reference', { P11: 'not-exercised' }, { coverageRequired: false }),
  judged(
    'seed-found',
    'seed',
    { P2: 'violated', P12: 'violated', P6: 'not-exercised' },
    { expected: ['P2'] },
  ),
  judged('seed-missing', 'seed', { P4: 'not-applicable' }, { expected: ['P2'] }),
  judged('user-nondeterministic', 'user', {}, { determinism: true }),
];
// Measured times travel beside the byte-stable JSON report (checkRun.ts does the same).
const report = toCheckReport(rows, { seed: 1, timing: false });
const timed = {
  ...report,
  designs: report.designs.map((d, k): CiDesign => ({ ...d, elapsedMs: rows[k]?.elapsedMs })),
};
const xml = junitReport(timed);

function suiteOf(name: string): string {
  return xml.split('<testsuite ').find((s) => s.startsWith(`name="${name}"`)) ?? '';
}

/** What a property's test case holds: failure, skipped, or nothing (passed). */
function caseOf(name: string, id: PropertyId): string {
  const start = suiteOf(name).indexOf(`name="${id} `);
  const text = suiteOf(name).slice(start, suiteOf(name).indexOf('</testcase>', start));
  return /<(failure|skipped)/.exec(text)?.[1] ?? 'passed';
}

describe('JUnit agrees with the verdict', () => {
  it('a suite has failures exactly when its design does not match', () => {
    for (const r of rows) {
      const failures = Number(/ failures="(\d+)"/.exec(suiteOf(r.name))?.[1]);
      expect(failures > 0, r.name).toBe(!r.matches);
    }
    expect(rows.filter((r) => !r.matches).map((r) => r.name)).toEqual([
      'ref-violates',
      'ref-nc',
      'seed-missing',
      'user-nondeterministic',
    ]);
  });

  it('fails violations, unexercised properties that fail the design, expected violations not found', () => {
    expect(caseOf('ref-violates', 'P8')).toBe('failure');
    expect(caseOf('ref-nc', 'P11')).toBe('failure');
    expect(caseOf('seed-missing', 'P2')).toBe('failure');
    expect(suiteOf('user-nondeterministic')).toMatch(
      /name="determinism" time="0.000">\n\s+<failure message="not deterministic at --seed 1 --path 3:0 --profile lan"/,
    );
  });

  it('skips only what does not count; an expected violation found passes', () => {
    expect(caseOf('ref-nc-few-runs', 'P11')).toBe('skipped');
    expect(caseOf('seed-found', 'P12')).toBe('skipped');
    expect(caseOf('seed-found', 'P6')).toBe('skipped');
    expect(caseOf('seed-missing', 'P4')).toBe('skipped');
    expect(caseOf('seed-found', 'P2')).toBe('passed');
    expect(caseOf('ref-holds', 'P1')).toBe('passed');
    expect(suiteOf('seed-found')).toMatch(/ failures="0" errors="0" skipped="2" /);
  });

  it('carries the measured time: the suite its row, each property an even share', () => {
    const share = (1.6 / properties.length).toFixed(3);
    expect(suiteOf('ref-holds')).toMatch(/^name="ref-holds" tests="\d+" [^>]* time="1.600">/);
    expect(suiteOf('ref-holds')).toContain(`name="P1 no-send-before-accept" time="${share}"`);
    expect(xml).toMatch(new RegExp(`<testsuites [^>]* time="${(1.6 * rows.length).toFixed(3)}">`));
    // Without a measured time (a report built without --timing) the time is 0, not invented.
    expect(junitReport(report)).not.toMatch(/time="(?!0\.000")/);
  });
});

describe('GitHub annotations', () => {
  it('escapes messages (%, CR, LF) and properties (also : and ,) as the toolkit does', () => {
    expect(escapeData('100%\r\nnext: a, b')).toBe('100%25%0D%0Anext: a, b');
    expect(escapeProperty('100%\r\nnext: a, b')).toBe('100%25%0D%0Anext%3A a%2C b');
  });

  it('one ::error per failing cell, ::warning for what is reported and not counted', () => {
    const lines = githubReport(report).trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^::(error|warning) title=[^:,\n]+::[^\n\r]+$/);
    const errors = lines.filter((l) => l.startsWith('::error')).map((l) => l.split('::')[1]);
    expect(errors).toEqual([
      'error title=ref-violates P8 order-and-seq%3A violated',
      'error title=ref-nc P11 valid-close%3A never exercised',
      'error title=seed-missing P2 no-send-after-close%3A expected violation not found',
      'error title=user-nondeterministic determinism',
    ]);
    const warnings = lines
      .filter((l) => l.startsWith('::warning'))
      .map((l) => /title=([^ ]+ P\d+)/.exec(l)?.[1]);
    expect(warnings).toEqual(['ref-nc-few-runs P11', 'seed-found P6', 'seed-found P12']);
  });

  it('puts the counterexample, its timeline and the reproduce command in the message', () => {
    const cx = {
      message: 'c1: event e1 reached the wire after e2, emitted later (t=1ms)',
      timeline: [
        {
          i: 0,
          t: 0,
          conn: 'c1',
          actor: 'workload' as const,
          action: 'open',
          text: 'open user u1',
          offending: false,
        },
        {
          i: 9,
          t: 1,
          conn: 'c1',
          actor: 'net' as const,
          action: 'wire',
          text: 'wire 50% [e1#2]',
          offending: true,
        },
      ],
      reproduce: "npx ws-lifecycle replay --design 'a,b.ts' --seed 1 --path 3:0 --profile lan",
    };
    const row = timed.designs[1] as CiDesign;
    const withCx = {
      designs: [
        { ...row, properties: row.properties.map((p) => (p.id === 'P8' ? { ...p, counterexample: cx } : p)) },
      ],
    };
    const line = githubReport(withCx).trimEnd();
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toContain(
      "::ref-violates: c1: event e1 reached the wire after e2, emitted later (t=1ms)%0A  0 t=0ms     c1  workload open user u1%0A> 9 t=1ms     c1  net      wire 50%25 [e1#2]%0Areproduce: npx ws-lifecycle replay --design 'a,b.ts' --seed 1 --path 3:0 --profile lan",
    );
  });
});

describe('TAP', () => {
  it('not ok exactly for the failing cells and row failures, # SKIP for what does not count', () => {
    const tap = tapReport(timed);
    const lines = tap.split('\n');
    expect(lines.slice(0, 2)).toEqual(['TAP version 14', `1..${rows.length * properties.length + 1}`]);
    expect(lines.filter((l) => l.startsWith('not ok')).map((l) => l.replace(/^not ok \d+ - /, ''))).toEqual([
      'ref-violates P8 order-and-seq',
      'ref-nc P11 valid-close',
      'seed-missing P2 no-send-after-close',
      'user-nondeterministic determinism',
    ]);
    expect(lines.filter((l) => / # SKIP /.test(l))).toHaveLength(4);
  });
});
