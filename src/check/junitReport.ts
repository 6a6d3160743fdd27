/**
 * The report as JUnit XML, for CI systems that show test results: one test suite per
 * design (or trace file), one test case per property, failed exactly when it makes the
 * design not match its expectation.
 */
import type { CheckReport } from './checkReport.ts';
import type { PropertyId, PropertyStatus } from './propertyTypes.ts';
import { propertyName } from './report.ts';

/** What a JUnit test case reads of a property: `check`'s and `check-trace`'s rows alike. */
export interface JunitProperty {
  readonly id: PropertyId;
  readonly status: PropertyStatus;
  readonly counterexample?: {
    readonly message: string;
    readonly timeline: readonly string[];
    /** The replay command, when the run can be replayed. */
    readonly reproduce?: string;
  };
}

/** What a JUnit test suite reads of a design row (or a trace file's row). */
export interface JunitDesign {
  readonly name: string;
  /** A `seed` design's violations are expected, never failures. */
  readonly role: string;
  readonly missing: readonly PropertyId[];
  readonly coverageGaps: readonly PropertyId[];
  /** The coverage gaps fail this row, as the text report says. */
  readonly unexercisedFails: boolean;
  readonly determinismFailures: readonly {
    readonly seed: number;
    readonly path: string;
    readonly profile: string;
  }[];
  readonly properties: readonly JunitProperty[];
}

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/gu, '');
}

/** Why a property fails its design's verdict, or undefined when it does not. Pure. */
function failureOf(d: JunitDesign, p: JunitProperty): string | undefined {
  if (d.missing.includes(p.id)) return 'expected violation not found';
  if (d.role !== 'seed' && p.status === 'violated') return 'violated';
  if (d.unexercisedFails && d.coverageGaps.includes(p.id)) return 'never exercised';
  return undefined;
}

function testCase(d: JunitDesign, p: JunitProperty): string {
  const name = `${p.id} ${propertyName(p.id)}`;
  const open = `    <testcase classname="${xml(d.name)}" name="${xml(name)}" time="0">`;
  const failure = failureOf(d, p);
  const cx = p.counterexample;
  const reproduce = cx?.reproduce === undefined ? [] : [`reproduce: ${cx.reproduce}`];
  const body = cx === undefined ? '' : [cx.message, ...cx.timeline, ...reproduce].join('\n');
  if (failure !== undefined) {
    return `${open}\n      <failure message="${xml(`${failure}: ${cx?.message ?? name}`)}" type="${xml(p.status)}">${xml(body)}</failure>\n    </testcase>`;
  }
  if (p.status === 'not-applicable' || p.status === 'not-exercised') {
    return `${open}\n      <skipped message="${xml(p.status)}"/>\n    </testcase>`;
  }
  return body === ''
    ? `${open}</testcase>`
    : `${open}\n      <system-out>${xml(body)}</system-out>\n    </testcase>`;
}

/**
 * JUnit XML of a report (the Ant/Surefire dialect most CI systems read): `check`'s, or any
 * report of rows of the same shape under `title` (`check-trace`'s). Pure.
 *
 * @example
 * await writeFile('junit.xml', junitReport(report));
 */
export function junitReport(
  report: CheckReport | { readonly designs: readonly JunitDesign[] },
  title = 'seed' in report ? `ws-lifecycle check (seed ${report.seed})` : 'ws-lifecycle',
): string {
  const suites = report.designs.map((d) => {
    const failures = d.properties.filter((p) => failureOf(d, p) !== undefined).length;
    const determinism = d.determinismFailures.map(
      (f) =>
        `    <testcase classname="${xml(d.name)}" name="determinism" time="0">\n      <failure message="not deterministic at --seed ${f.seed} --path ${f.path} --profile ${f.profile}" type="determinism"/>\n    </testcase>`,
    );
    const skipped = d.properties.filter(
      (p) => failureOf(d, p) === undefined && (p.status === 'not-applicable' || p.status === 'not-exercised'),
    ).length;
    const cases = [...d.properties.map((p) => testCase(d, p)), ...determinism];
    return [
      `  <testsuite name="${xml(d.name)}" tests="${cases.length}" failures="${failures + determinism.length}" errors="0" skipped="${skipped}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  const tests = report.designs.reduce((n, d) => n + d.properties.length + d.determinismFailures.length, 0);
  const failed = report.designs.reduce(
    (n, d) =>
      n + d.properties.filter((p) => failureOf(d, p) !== undefined).length + d.determinismFailures.length,
    0,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(title)}" tests="${tests}" failures="${failed}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
