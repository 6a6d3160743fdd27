/**
 * The readings section of a `check` report: per seed port, the readings explored and, for
 * each violated property, whether it is robust (found under every reading) or which readings
 * it needs, next to what the expectations predict. Lines stay within 80 columns except
 * where one word (a reading label) is longer. Pure.
 */
import type { JsonValue } from '../core/types.ts';
import type { ReadingFinding, ReadingsResult } from '../judge/judgeReadings.ts';
import { wrapWords } from './pathReport.ts';
import { readingMatches, type ReadingSpace } from '../design/readings.ts';

/** Every single option and every pair of options on two axes, as `axis=value` lists. */
function terms(result: ReadingsResult): string[][] {
  const singles = result.space.flatMap((axis) => axis.options.map((o) => `${axis.name}=${o.value}`));
  const axisOf = (term: string): string => term.split('=')[0] ?? '';
  const pairs = singles.flatMap((x, k) =>
    singles
      .slice(k + 1)
      .filter((y) => axisOf(x) !== axisOf(y))
      .map((y) => [x, y]),
  );
  return [...singles.map((x) => [x]), ...pairs];
}

/**
 * A short description of a set of readings: `every reading`, or at most three terms (one
 * option, or two options together) whose readings make up exactly that set, e.g.
 * `only send=batched` or `under environment=staging, or validation=every-environment`;
 * otherwise the labels themselves. Pure.
 */
export function describeReadings(result: ReadingsResult, labels: readonly string[]): string[] {
  if (labels.length === result.runs.length) return ['every reading'];
  const wanted = new Set(labels);
  const matching = (term: readonly string[]): string[] =>
    result.runs.filter((r) => readingMatches(r.reading, term)).map((r) => r.label);
  // Greedy cover by the terms that stay inside the set, largest first.
  const inside = terms(result)
    .map((term) => ({ term, covers: matching(term) }))
    .filter(({ covers }) => covers.length > 0 && covers.every((l) => wanted.has(l)))
    .sort((x, y) => y.covers.length - x.covers.length || x.term.length - y.term.length);
  const chosen: string[][] = [];
  const covered = new Set<string>();
  for (const { term, covers } of inside) {
    if (covered.size === wanted.size || chosen.length === 3) break;
    if (covers.every((l) => covered.has(l))) continue;
    chosen.push(term);
    for (const l of covers) covered.add(l);
  }
  if (covered.size !== wanted.size) return labels.map((l) => `under ${l}`);
  const text = chosen.map((term) => term.join(' with '));
  return [chosen.length === 1 ? `only ${text[0] ?? ''}` : `under ${text.join(', or ')}`];
}

function axisLines(space: ReadingSpace): string[] {
  return space.flatMap((axis) => [
    ...wrapWords(`${axis.name}: ${axis.question}`, '  '),
    ...axis.options.flatMap((o) => [
      `    ${o.value === axis.default ? '*' : ' '} ${o.value}`,
      ...wrapWords(o.cites, '        '),
    ]),
  ]);
}

function findingLines(result: ReadingsResult, f: ReadingFinding): string[] {
  const kind = f.robust ? 'robust' : 'reading-dependent';
  const predicted =
    f.predicted === 'no'
      ? 'not predicted'
      : `predicted ${f.predicted === 'robust' ? 'robust' : 'under some readings'}`;
  const head = `  ${f.id.padEnd(4)} ${kind} (${f.violatedUnder.length} of ${result.runs.length}); ${predicted}`;
  if (f.robust) return [head];
  return [head, ...describeReadings(result, f.violatedUnder).flatMap((d) => wrapWords(d, '         '))];
}

/** Per code path of a port (in the default reading's order), the labels of the readings some run of which reached it. */
function pathsByReading(result: ReadingsResult): {
  readonly name: string;
  readonly reachedUnder: string[];
  readonly byReading: { readonly reading: string; readonly reached: number; readonly runs: number }[];
}[] {
  const names = [...new Set(result.runs.flatMap((r) => (r.result.paths ?? []).map((p) => p.name)))];
  return names.map((name) => {
    const byReading = result.runs.map((r) => ({
      reading: r.label,
      reached: (r.result.paths ?? []).find((p) => p.name === name)?.reached ?? 0,
      runs: r.result.runs,
    }));
    return {
      name,
      reachedUnder: byReading.filter((b) => b.reached > 0).map((b) => b.reading),
      byReading,
    };
  });
}

// A path unexercised under every reading was checked by no run of the port at all.
function pathLines(result: ReadingsResult): string[] {
  const paths = pathsByReading(result);
  if (paths.length === 0) return [];
  return [
    '  paths, by the readings under which some run reached them:',
    ...paths.flatMap(({ name, reachedUnder }) => {
      if (reachedUnder.length === 0) return [`    ${name}: UNEXERCISED under every reading`];
      const where = describeReadings(result, reachedUnder).join(', ');
      const text = `${name}: reached ${where === 'every reading' ? 'under every reading' : where}`;
      return wrapWords(text, '    ', 80, '        ');
    }),
  ];
}

/**
 * The readings section for every port explored under more than one reading; empty when
 * there is none. Pure.
 *
 * @example
 * io.out(renderReadings(readingsResults));
 */
export function renderReadings(results: readonly ReadingsResult[]): string {
  const shown = results.filter((r) => r.runs.length > 1 || r.brokenHolds.length > 0);
  if (shown.length === 0) return '';
  const out: string[] = ['', 'readings (* the bundled default; the matrix row is that reading):'];
  for (const r of shown) {
    out.push('', `${r.name}: ${r.runs.length} readings explored`, ...axisLines(r.space));
    out.push(...r.findings.flatMap((f) => findingLines(r, f)));
    out.push(...pathLines(r));
    for (const m of r.missing) {
      out.push(`  expected ${m.expected.property} not found under ${m.reading}`);
    }
    for (const h of r.brokenHolds) {
      out.push(`  ${h.expected.property} should hold (the fix works) but is violated under ${h.reading}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * The readings of every port as JSON: per design, its axes (with citations), the readings
 * explored, each violated property's readings and prediction, and what is missing. Pure.
 *
 * @example
 * readingsJson(results)[0].findings[0].robust;
 */
export function readingsJson(results: readonly ReadingsResult[]): JsonValue[] {
  return results.map((r) => ({
    design: r.name,
    axes: r.space.map((axis) => ({
      name: axis.name,
      question: axis.question,
      default: axis.default,
      options: axis.options.map((o) => ({ value: o.value, cites: o.cites })),
    })),
    readings: r.runs.map((run) => run.label),
    findings: r.findings.map((f) => ({
      id: f.id,
      robust: f.robust,
      predicted: f.predicted,
      violatedUnder: [...f.violatedUnder],
    })),
    missing: r.missing.map((m) => ({ property: m.expected.property, reading: m.reading })),
    brokenHolds: r.brokenHolds.map((m) => ({ property: m.expected.property, reading: m.reading })),
    paths: pathsByReading(r).map((p) => ({
      name: p.name,
      reachedUnder: p.reachedUnder,
      byReading: p.byReading.map((b) => ({ ...b })),
    })),
    matches: r.matches,
  }));
}
