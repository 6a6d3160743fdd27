/**
 * The readings section of a `check` report: per seed port, the readings explored and, for
 * each violated property, whether it is robust (found under every reading) or which readings
 * it needs, next to what the expectations predict. Lines stay within 80 columns except
 * where a reading label is long. Pure.
 */
import type { ReadingFinding, ReadingsResult } from './judgeReadings.ts';
import { readingMatches, type ReadingSpace } from './readings.ts';

/**
 * The shortest description of a set of readings: `every reading`, one `axis=value` whose
 * readings are exactly that set, or the labels themselves. Pure.
 */
export function describeReadings(result: ReadingsResult, labels: readonly string[]): string[] {
  if (labels.length === result.runs.length) return ['every reading'];
  const wanted = new Set(labels);
  for (const axis of result.space) {
    for (const option of axis.options) {
      const key = `${axis.name}=${option.value}`;
      const matching = result.runs.filter((r) => readingMatches(r.reading, [key])).map((r) => r.label);
      if (matching.length === wanted.size && matching.every((l) => wanted.has(l))) return [`only ${key}`];
    }
  }
  return labels.map((l) => `under ${l}`);
}

function axisLines(space: ReadingSpace): string[] {
  return space.flatMap((axis) => [
    `  ${axis.name}: ${axis.question}`,
    ...axis.options.map((o) => `    ${o.value === axis.default ? '*' : ' '} ${o.value}: ${o.cites}`),
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
  return [head, ...describeReadings(result, f.violatedUnder).map((d) => `         ${d}`)];
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
    for (const m of r.missing) {
      out.push(`  expected ${m.expected.property} not found under ${m.reading}`);
    }
    for (const h of r.brokenHolds) {
      out.push(`  ${h.expected.property} should hold (the fix works) but is violated under ${h.reading}`);
    }
  }
  return `${out.join('\n')}\n`;
}
