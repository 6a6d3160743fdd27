/**
 * The report of a `check`: the design x property matrix, then every violation with its
 * timeline and replay command; or the same as byte-stable JSON.
 */
import { toCheckReport, type CheckReport } from './checkReport.ts';
import type { PythonVersion } from '../sim/types.ts';
import type { Counterexample } from '../explore/explore.ts';
import type { DesignResult, MergedProperty } from '../judge/judgeDesign.ts';
import { renderPaths } from './pathReport.ts';
import { preconditionOf, properties } from '../properties/index.ts';
import type { PropertyId, PropertyStatus } from '../properties/propertyTypes.ts';
import { reproduceCommand } from '../explore/reproduceCommand.ts';
import { renderTimeline } from './timeline.ts';

export { reproduceCommand } from '../explore/reproduceCommand.ts';

/** What every report carries besides the designs. */
export interface ReportHeader {
  readonly seed: number;
  /** Include wall-clock fields (elapsed, ms to first failure): not byte-stable. */
  readonly timing: boolean;
  /** Width the matrix must fit (default 80). */
  readonly columns?: number;
  /** Colours (default none). */
  readonly paint?: Paint;
  /** The `--python` the check ran with, repeated in every reproduce line. */
  readonly python?: PythonVersion;
}

const propertyIds: readonly PropertyId[] = properties.map((p) => p.id);

/** The kebab-case name of a property, e.g. `order-and-seq`. Pure. */
export function propertyName(id: PropertyId): string {
  return properties.find((p) => p.id === id)?.name ?? id;
}

/** Colours of the report: identity functions when colour is off (the default). */
export interface Paint {
  readonly bad: (s: string) => string;
  readonly good: (s: string) => string;
  readonly warn: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly strong: (s: string) => string;
}

const same = (s: string): string => s;

/** No colour. */
export const noPaint: Paint = { bad: same, good: same, warn: same, dim: same, strong: same };

const cellText: Record<PropertyStatus, string> = {
  held: 'ok',
  violated: 'X',
  'not-exercised': 'nc',
  'not-applicable': '-',
  'checker-error': 'ERR',
};

/**
 * A matrix cell, at most 3 characters so that 15 properties fit 80 columns: `ok` held, `X`
 * violated, `nc` never exercised, `-` not applicable, `ERR` its checker failed (nothing judged);
 * `*` marks an expected violation found,
 * `!` one expected but not found. Pure.
 *
 * @example
 * cell({ status: 'violated', expected: true }); // 'X*'
 */
export function cell(p: Pick<MergedProperty, 'status' | 'expected'> | undefined): string {
  if (p === undefined) return ' ';
  const text = cellText[p.status];
  if (!p.expected) return text;
  return p.status === 'violated' ? `${text}*` : `${text}!`;
}

function paintCell(text: string, paint: Paint): string {
  if (text.endsWith('!')) return paint.bad(text);
  if (text.startsWith('X') || text.startsWith('ERR')) return paint.bad(text);
  if (text.startsWith('ok')) return paint.good(text);
  if (text.startsWith('nc')) return paint.warn(text);
  return paint.dim(text);
}

/** The legend printed under the matrix: every mark of the matrix and of the timelines. */
export const matrixLegend = [
  'cells: ok held, X violated, X* violated as expected, ok!/nc! expected violation',
  '  not found, nc never exercised (nothing proved), - not applicable',
  'timelines: > offending step, then the step number messages cite ("at step 7"),',
  '  => the phase after the step; "(+N more)": N later violations in the same run',
].join('\n');

const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** Columns a line takes on a terminal (colour codes take none). Pure. */
function visible(line: string): number {
  return line.replace(ansi, '').length;
}

/**
 * Wraps every line of `text` wider than `columns` at spaces, continuing 2 columns further in
 * than the line. `reproduce:` lines are kept whole (they are copied, not read). Pure.
 *
 * @example
 * fitLines('  a long line ...', 80);
 */
export function fitLines(text: string, columns = 80): string {
  return text
    .split('\n')
    .flatMap((line) => {
      if (visible(line) <= columns || line.trimStart().startsWith('reproduce:')) return [line];
      const lead = line.length - line.trimStart().length;
      const indent = ' '.repeat(Math.min(lead + 2, Math.floor(columns / 2)));
      const out: string[] = [];
      let current = line.slice(0, lead);
      let empty = true;
      for (const word of line.slice(lead).split(' ')) {
        if (!empty && visible(current) + 1 + visible(word) > columns) {
          out.push(current.trimEnd());
          current = indent + word;
        } else current = empty ? current + word : `${current} ${word}`;
        empty = false;
      }
      out.push(current);
      return out;
    })
    .join('\n');
}

/**
 * The design x property matrix, every line at most `columns` wide (design names are cut to
 * fit, never the cells). Pure.
 *
 * @example
 * renderMatrix(results, 80).split('\n').every((l) => l.length <= 80); // true
 */
export function renderMatrix(results: readonly DesignResult[], columns = 80, paint: Paint = noPaint): string {
  const cellWidth = Math.max(...propertyIds.map((id) => id.length)) + 1;
  const cells = cellWidth * propertyIds.length;
  const longest = Math.max(6, ...results.map((r) => r.name.length));
  const nameWidth = Math.max(6, Math.min(longest, columns - cells - 1));
  const name = (n: string): string =>
    (n.length > nameWidth ? `${n.slice(0, nameWidth - 1)}\u2026` : n).padEnd(nameWidth + 1);
  const head = name('design') + propertyIds.map((id) => id.padEnd(cellWidth)).join('');
  const rows = results.map((r) => {
    const texts = propertyIds.map((id) => cell(r.properties.find((p) => p.id === id)));
    // Pad before painting: escape codes take no columns.
    const painted = texts.map((t) => paintCell(t, paint) + ' '.repeat(cellWidth - t.length));
    const last = texts.length - 1;
    if (last >= 0) painted[last] = paintCell(texts[last] ?? '', paint);
    return name(r.name) + painted.join('');
  });
  return [paint.strong(head.trimEnd()), ...rows.map((l) => l.trimEnd())].join('\n');
}

/** A design's verdict under the matrix, with what is missing or unexpected. Pure. */
export function verdictLine(r: DesignResult, timing: boolean): string {
  const what = r.matches ? 'matches its expectation' : 'MISMATCH';
  const time = timing ? `, ${(r.elapsedMs / 1000).toFixed(1)} s` : '';
  const lines = [`${r.name}: ${what} (${r.runs} runs; profiles ${r.profiles.join(', ')}${time})`];
  for (const m of r.missing) {
    lines.push(
      `  expected ${m.property} ${propertyName(m.property)} not found${m.profile ? ` under ${m.profile}` : ''}: "${m.claim}"`,
    );
  }
  if (r.unexpected.length > 0) {
    const judged = r.role === 'seed' ? 'reported, not counted' : 'the design must hold every property';
    lines.push(`  unexpected violations: ${r.unexpected.join(', ')} (${judged})`);
  }
  for (const p of r.properties) {
    if (p.status !== 'checker-error') continue;
    lines.push(
      `  CHECKER ERROR: ${p.id} ${propertyName(p.id)} was not judged (${p.checkerError ?? 'its checker threw'}); not charged to the design`,
    );
  }
  for (const id of r.coverageGaps) {
    const missing = preconditionOf(id);
    const judged = r.unexercisedFails
      ? ' (nothing was proved: this fails the design)'
      : r.role === 'seed'
        ? ''
        : ' (too few runs to require it: not counted)';
    lines.push(`  never exercised: ${id} ${propertyName(id)}, no run had ${missing}${judged}`);
  }
  for (const p of r.paths ?? []) {
    if (p.cites === null)
      lines.push(`  undeclared path "${p.name}" reached in ${p.reached} runs (a design error: see paths)`);
  }
  for (const d of r.determinismFailures) {
    lines.push(
      `  NOT DETERMINISTIC: the shrunk scenario at --seed ${d.seed} --path ${d.path} --profile ${d.profile} gave a different trace on a second run (line ${d.firstDifference})`,
    );
  }
  return lines.join('\n');
}

/** What a counterexample's heading says in brackets: profile, runs to it, steps, shrinks. Pure. */
export function counterexampleFacts(cx: Counterexample, timing: boolean): string {
  const time = timing ? `, ${cx.msToFirstFailure} ms` : '';
  return `${cx.profile}; first failure after ${cx.runsToFirstFailure} runs${time}; ${cx.timeline.length} steps after ${cx.shrinks} shrinks`;
}

/** A violation's first line: design, property, where and how it was found; two lines when wide. */
function violationHead(r: DesignResult, p: MergedProperty, cx: Counterexample, header: ReportHeader): string {
  const tag = p.expected ? ' (expected)' : '';
  const name = `${r.name}  ${p.id} ${propertyName(p.id)}${tag}`;
  const where = `[${counterexampleFacts(cx, header.timing)}]`;
  const fits = name.length + 2 + where.length <= (header.columns ?? 80);
  return fits ? `${name}  ${where}` : `${name}\n  ${where}`;
}

function violation(
  r: DesignResult,
  p: MergedProperty,
  cx: Counterexample,
  header: ReportHeader,
  sameAs: PropertyId | undefined,
): string {
  const head = [violationHead(r, p, cx, header), fitLines(`  ${cx.message}`, header.columns ?? 80)];
  if (sameAs !== undefined) {
    return [...head, `  same run as ${sameAs} above: timeline and reproduce line there`].join('\n');
  }
  return [
    ...head,
    renderTimeline(cx.timeline, cx.offending, { columns: header.columns ?? 80 }),
    `  reproduce: ${reproduceCommand(r.ref, cx, header.python)}`,
  ].join('\n');
}

/**
 * The human-readable report. Pure; without `timing` it is byte-stable for the same seed.
 *
 * @example
 * process.stdout.write(renderReport(results, { seed: 1, timing: false }));
 */
export function renderReport(results: readonly DesignResult[], header: ReportHeader): string {
  const paint = header.paint ?? noPaint;
  const out: string[] = [renderMatrix(results, header.columns ?? 80, paint), '', paint.dim(matrixLegend), ''];
  for (const r of results) out.push(fitLines(verdictLine(r, header.timing), header.columns ?? 80));
  out.push(...renderPaths(results, paint).map((l) => fitLines(l, header.columns ?? 80)));
  for (const r of results) {
    // A counterexample shrunk to the same run, cut to the same timeline, as an earlier
    // property's is printed once; the later property points to it.
    const printed = new Map<string, PropertyId>();
    for (const p of r.properties) {
      const cx = p.counterexample;
      if (cx === undefined) continue;
      const timeline = renderTimeline(cx.timeline, cx.offending);
      const key = `${cx.profile} ${cx.seed} ${cx.path}\n${timeline}`;
      out.push('', violation(r, p, cx, header, printed.get(key)));
      if (!printed.has(key)) printed.set(key, p.id);
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * The closing line of a check: designs, violations, mismatches, explorations not judged
 * (`notJudged`: runaways, errors, unfinished), the verdict and the wall time. Pure.
 *
 * @example
 * summaryLine(report, 41_230); // '6 designs, 31 violations, 0 mismatches: PASS in 41.2 s'
 */
export function summaryLine(
  report: CheckReport,
  elapsedMs: number,
  paint: Paint = noPaint,
  notJudged = 0,
): string {
  const s = report.summary;
  const plural = (n: number, word: string): string =>
    `${n} ${word}${n === 1 ? '' : word.endsWith('h') ? 'es' : 's'}`;
  // A checker that threw puts the check itself in doubt: ERROR, whatever else was found.
  // Explorations that ran away, failed or were cut short leave the check unjudged: FAIL.
  const verdict =
    s.verdict === 'error'
      ? paint.bad('ERROR')
      : s.verdict === 'pass' && notJudged === 0
        ? paint.good('PASS')
        : paint.bad('FAIL');
  const unjudged =
    notJudged === 0 ? '' : `, ${notJudged} exploration(s) not judged (runaway, error or unfinished)`;
  const errors = s.checkerErrors === undefined ? '' : `, ${s.checkerErrors} checker error(s)`;
  return `${plural(s.designs, 'design')}, ${plural(s.violations, 'violation')}, ${plural(s.mismatches, 'mismatch')}${errors}${unjudged}: ${verdict} in ${(elapsedMs / 1000).toFixed(1)} s`;
}

/**
 * The report as JSON text (the `CheckReport` shape, validated by `checkReportSchema`). Pure;
 * byte-stable without `timing`.
 *
 * @example
 * JSON.parse(reportJson(results, { seed: 1, timing: false })).designs[0].name;
 */
export function reportJson(results: readonly DesignResult[], header: ReportHeader): string {
  return `${JSON.stringify(toCheckReport(results, header), null, 2)}\n`;
}
