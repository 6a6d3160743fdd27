/**
 * The report as TAP (Test Anything Protocol, version 14): one test point per design x
 * property, `not ok` exactly for what fails the design's verdict (ciVerdict.ts), `# SKIP` for
 * what does not count.
 */
import { cellOutcome, rowFailures, type CiDesign } from './ciVerdict.ts';
import { propertyName } from './report.ts';
import { stepLines } from './timelineSteps.ts';

/** A TAP description: `#` would start a directive, so it is left out. */
function describeText(text: string): string {
  return text.replace(/#/g, '').replace(/\s+/g, ' ');
}

/** A YAML diagnostics block; JSON strings are YAML flow scalars. */
function diagnostics(fields: Readonly<Record<string, string | readonly string[] | undefined>>): string[] {
  const lines = ['  ---'];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (typeof value === 'string') lines.push(`  ${key}: ${JSON.stringify(value)}`);
    else lines.push(`  ${key}:`, ...value.map((v) => `    - ${JSON.stringify(v)}`));
  }
  lines.push('  ...');
  return lines;
}

/**
 * TAP of a report (`check`'s or `check-trace`'s). Pure.
 *
 * @example
 * await writeFile('report.tap', tapReport(report));
 */
export function tapReport(report: { readonly designs: readonly CiDesign[] }): string {
  const points: string[][] = [];
  for (const d of report.designs) {
    for (const p of d.properties) {
      const outcome = cellOutcome(d, p);
      const name = describeText(`${d.name} ${p.id} ${propertyName(p.id)}`);
      const cx = p.counterexample;
      const n = points.length + 1;
      if (outcome.kind === 'passed') points.push([`ok ${n} - ${name}`]);
      else if (outcome.kind === 'failure' || outcome.kind === 'error')
        points.push([
          `not ok ${n} - ${name}`,
          ...diagnostics({
            reason: outcome.reason,
            message: cx?.message ?? p.checkerError,
            timeline: cx === undefined ? undefined : stepLines(cx.timeline),
            reproduce: cx?.reproduce,
          }),
        ]);
      else points.push([`ok ${n} - ${name} # SKIP ${describeText(outcome.reason)}`]);
    }
    for (const f of rowFailures(d)) {
      points.push([
        `not ok ${points.length + 1} - ${describeText(`${d.name} ${f.name}`)}`,
        ...diagnostics({ message: f.message }),
      ]);
    }
  }
  return ['TAP version 14', `1..${points.length}`, ...points.flat(), ''].join('\n');
}
