/**
 * The report as JUnit XML, for CI systems that show test results: one test suite per
 * design (or trace file), one test case per property, failed exactly when it makes the
 * design not match its expectation (ciVerdict.ts), skipped when it does not count.
 */
import { assertNever } from '../core/assertNever.ts';
import type { CheckReport } from './checkReport.ts';
import { cellOutcome, rowFailures, type CiDesign, type CiProperty } from './ciVerdict.ts';
import { propertyName } from './report.ts';
import { stepLines } from './timelineSteps.ts';

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/gu, '');
}

/** Seconds with ms precision, as JUnit's `time` attributes take them. */
function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/**
 * The time of each property case: the row's time shared evenly by its properties, which are
 * all checked in the same pass over every run (no property has a time of its own).
 */
function caseMs(d: CiDesign): number {
  return d.elapsedMs === undefined || d.properties.length === 0 ? 0 : d.elapsedMs / d.properties.length;
}

function testCase(d: CiDesign, p: CiProperty): string {
  const name = `${p.id} ${propertyName(p.id)}`;
  const open = `    <testcase classname="${xml(d.name)}" name="${xml(name)}" time="${seconds(caseMs(d))}">`;
  const outcome = cellOutcome(d, p);
  const cx = p.counterexample;
  const reproduce = cx?.reproduce === undefined ? [] : [`reproduce: ${cx.reproduce}`];
  const body = cx === undefined ? '' : [cx.message, ...stepLines(cx.timeline), ...reproduce].join('\n');
  const out = body === '' ? '' : `\n      <system-out>${xml(body)}</system-out>`;
  switch (outcome.kind) {
    case 'failure':
      return `${open}\n      <failure message="${xml(`${outcome.reason}: ${cx?.message ?? name}`)}" type="${xml(p.status)}">${xml(body)}</failure>\n    </testcase>`;
    case 'error': {
      const message = p.checkerError ?? name;
      return `${open}\n      <error message="${xml(`${outcome.reason}: ${message}`)}" type="${xml(p.status)}">${xml(message)}</error>\n    </testcase>`;
    }
    case 'warning':
    case 'skipped':
      return `${open}\n      <skipped message="${xml(outcome.reason)}"/>${out}\n    </testcase>`;
    case 'passed':
      return out === '' ? `${open}</testcase>` : `${open}${out}\n    </testcase>`;
    default:
      return assertNever(outcome);
  }
}

/** A row's cases, their failures, errors and skips. Pure. */
function suite(d: CiDesign): { xml: string; tests: number; failures: number; errors: number } {
  const outcomes = d.properties.map((p) => cellOutcome(d, p).kind);
  const rowCases = rowFailures(d).map(
    (f) =>
      `    <testcase classname="${xml(d.name)}" name="${xml(f.name)}" time="0.000">\n      <failure message="${xml(f.message)}" type="${xml(f.name)}"/>\n    </testcase>`,
  );
  const cases = [...d.properties.map((p) => testCase(d, p)), ...rowCases];
  const failures = outcomes.filter((k) => k === 'failure').length + rowCases.length;
  const errors = outcomes.filter((k) => k === 'error').length;
  const skipped = outcomes.filter((k) => k === 'skipped' || k === 'warning').length;
  const time = seconds(d.elapsedMs ?? 0);
  return {
    xml: [
      `  <testsuite name="${xml(d.name)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n'),
    tests: cases.length,
    failures,
    errors,
  };
}

/**
 * JUnit XML of a report (the Ant/Surefire dialect most CI systems read): `check`'s, or any
 * report of rows of the same shape under `title` (`check-trace`'s). A suite's `time` is its
 * row's `elapsedMs` (0 when not measured), shared evenly by its property cases. Pure.
 *
 * @example
 * await writeFile('junit.xml', junitReport(report));
 */
export function junitReport(
  report: CheckReport | { readonly designs: readonly CiDesign[] },
  title = 'seed' in report ? `ws-lifecycle check (seed ${report.seed})` : 'ws-lifecycle',
): string {
  const suites = report.designs.map(suite);
  const tests = suites.reduce((n, s) => n + s.tests, 0);
  const failed = suites.reduce((n, s) => n + s.failures, 0);
  const errored = suites.reduce((n, s) => n + s.errors, 0);
  const errors = errored === 0 ? '' : ` errors="${errored}"`;
  const time = seconds(report.designs.reduce((n, d) => n + (d.elapsedMs ?? 0), 0));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xml(title)}" tests="${tests}" failures="${failed}"${errors} time="${time}">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}
