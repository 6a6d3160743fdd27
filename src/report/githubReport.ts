/**
 * The report as GitHub Actions workflow commands: an `::error` annotation for every cell that
 * fails its design's verdict, an `::warning` for what is reported and not counted (ciVerdict.ts).
 */
import { cellOutcome, rowFailures, type CiDesign, type CiProperty } from './ciVerdict.ts';
import { preconditionOf } from '../properties/index.ts';
import { propertyName } from './report.ts';
import { stepLines } from './timelineSteps.ts';

/**
 * A workflow command's message, escaped as GitHub's toolkit does (`%`, CR, LF). Pure.
 *
 * @example escapeData('50%\nnext'); // '50%25%0Anext'
 */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * A workflow command's property value (`title=`), escaped as a message plus `:` and `,`,
 * which would end the value. Pure.
 *
 * @example escapeProperty('a: b, c'); // 'a%3A b%2C c'
 */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(kind: 'error' | 'warning', title: string, message: string): string {
  return `::${kind} title=${escapeProperty(title)}::${escapeData(message)}`;
}

/** What an annotation of a property cell says: the finding, its timeline and how to replay it. */
function cellMessage(d: CiDesign, p: CiProperty, reason: string): string {
  const cx = p.counterexample;
  if (cx !== undefined) {
    const reproduce = cx.reproduce === undefined ? [] : [`reproduce: ${cx.reproduce}`];
    return [`${d.name}: ${cx.message}`, ...stepLines(cx.timeline), ...reproduce].join('\n');
  }
  if (p.status === 'not-exercised') return `${d.name}: ${reason}; no run had ${preconditionOf(p.id)}`;
  if (p.checkerError !== undefined) return `${d.name}: ${p.id} ${propertyName(p.id)}: ${p.checkerError}`;
  return `${d.name}: ${p.id} ${propertyName(p.id)}: ${reason}`;
}

/**
 * The annotations of a report (`check`'s or `check-trace`'s), one line each, in report order;
 * empty when nothing fails or warns. Pure.
 *
 * @example
 * process.stdout.write(githubReport(report)); // '::error title=reference P8 order-and-seq violated::...'
 */
export function githubReport(report: { readonly designs: readonly CiDesign[] }): string {
  const lines: string[] = [];
  for (const d of report.designs) {
    for (const p of d.properties) {
      const outcome = cellOutcome(d, p);
      if (outcome.kind === 'passed' || outcome.kind === 'skipped') continue;
      const title = `${d.name} ${p.id} ${propertyName(p.id)}: ${outcome.reason}`;
      const level = outcome.kind === 'warning' ? 'warning' : 'error';
      lines.push(command(level, title, cellMessage(d, p, outcome.reason)));
    }
    for (const f of rowFailures(d))
      lines.push(command('error', `${d.name} ${f.name}`, `${d.name}: ${f.message}`));
  }
  return lines.map((l) => `${l}\n`).join('');
}
