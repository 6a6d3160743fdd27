/**
 * The report of a `check`: the design x property matrix, then every violation with its
 * timeline and replay command; or the same as byte-stable JSON.
 */
import type { JsonValue } from '../core/types.ts';
import type { Counterexample } from './explore.ts';
import type { DesignResult, MergedProperty } from './judgeDesign.ts';
import { properties } from './properties/index.ts';
import type { PropertyId, PropertyStatus } from './propertyTypes.ts';
import { renderTimeline } from './timeline.ts';

/** What every report carries besides the designs. */
export interface ReportHeader {
  readonly seed: number;
  /** Include wall-clock fields (elapsed, ms to first failure): not byte-stable. */
  readonly timing: boolean;
}

const propertyIds: readonly PropertyId[] = properties.map((p) => p.id);

/** The kebab-case name of a property, e.g. `order-and-seq`. Pure. */
export function propertyName(id: PropertyId): string {
  return properties.find((p) => p.id === id)?.name ?? id;
}

const cellText: Record<PropertyStatus, string> = {
  held: 'held',
  violated: 'VIOLATED',
  'not-exercised': 'no-cov',
  'not-applicable': 'n/a',
};

/** A matrix cell: `*` marks an expected violation found, `!` one expected but not found. Pure. */
export function cell(p: MergedProperty | undefined): string {
  if (p === undefined) return '-';
  const text = cellText[p.status];
  if (!p.expected) return text;
  return p.status === 'violated' ? `${text}*` : `${text}!`;
}

/**
 * The command that reproduces a counterexample. Pure.
 *
 * @example
 * reproduceCommand('naive', cx); // 'npx ws-lifecycle replay --design naive --seed 1 --path 4:0 --profile lan'
 */
export function reproduceCommand(designRef: string, cx: Counterexample): string {
  return `npx ws-lifecycle replay --design ${designRef} --seed ${cx.seed} --path ${cx.path} --profile ${cx.profile}`;
}

function matrix(results: readonly DesignResult[]): string {
  const nameWidth = Math.max(8, ...results.map((r) => r.name.length)) + 2;
  const width = 11;
  const head = ''.padEnd(nameWidth) + propertyIds.map((id) => id.padEnd(width)).join('');
  const rows = results.map(
    (r) =>
      r.name.padEnd(nameWidth) +
      propertyIds.map((id) => cell(r.properties.find((p) => p.id === id)).padEnd(width)).join(''),
  );
  return [head, ...rows].map((line) => line.trimEnd()).join('\n');
}

function verdictLine(r: DesignResult, timing: boolean): string {
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
  for (const id of r.coverageGaps) {
    const missing = properties.find((p) => p.id === id)?.precondition ?? 'its precondition';
    const judged = r.role === 'seed' ? '' : ' (nothing was proved: this fails the design)';
    lines.push(`  never exercised: ${id} ${propertyName(id)}, no run had ${missing}${judged}`);
  }
  for (const d of r.determinismFailures) {
    lines.push(
      `  NOT DETERMINISTIC: the shrunk scenario at --seed ${d.seed} --path ${d.path} --profile ${d.profile} gave a different trace on a second run (line ${d.firstDifference})`,
    );
  }
  return lines.join('\n');
}

function violation(r: DesignResult, p: MergedProperty, cx: Counterexample, timing: boolean): string {
  const tag = p.expected ? ' (expected)' : '';
  const time = timing ? `, ${cx.msToFirstFailure} ms` : '';
  return [
    `${r.name}  ${p.id} ${propertyName(p.id)}${tag}  [${cx.profile}; first failure after ${cx.runsToFirstFailure} runs${time}; ${cx.timeline.length} steps after ${cx.shrinks} shrinks]`,
    `  ${cx.message}`,
    renderTimeline(cx.timeline, cx.offending),
    `  reproduce: ${reproduceCommand(r.ref, cx)}`,
  ].join('\n');
}

/**
 * The human-readable report. Pure; without `timing` it is byte-stable for the same seed.
 *
 * @example
 * process.stdout.write(renderReport(results, { seed: 1, timing: false }));
 */
export function renderReport(results: readonly DesignResult[], header: ReportHeader): string {
  const out: string[] = [
    matrix(results),
    '',
    'legend: * expected violation found, ! expected violation not found, no-cov: precondition never exercised',
    '',
  ];
  for (const r of results) out.push(verdictLine(r, header.timing));
  for (const r of results) {
    for (const p of r.properties) {
      if (p.counterexample !== undefined) out.push('', violation(r, p, p.counterexample, header.timing));
    }
  }
  return `${out.join('\n')}\n`;
}

function counterexampleJson(r: DesignResult, cx: Counterexample, timing: boolean): JsonValue {
  return {
    message: cx.message,
    profile: cx.profile,
    seed: cx.seed,
    path: cx.path,
    steps: cx.timeline.length,
    runsToFirstFailure: cx.runsToFirstFailure,
    ...(timing ? { msToFirstFailure: cx.msToFirstFailure } : {}),
    timeline: renderTimeline(cx.timeline, cx.offending).split('\n'),
    reproduce: reproduceCommand(r.ref, cx),
  };
}

/**
 * The report as JSON text: `{ designs: [{ name, properties: [{ id, status, runs, exercised,
 * counterexample? }] }], seed, profiles, runs }`. Pure; byte-stable without `timing`.
 *
 * @example
 * JSON.parse(reportJson(results, { seed: 1, timing: false })).designs[0].name;
 */
export function reportJson(results: readonly DesignResult[], header: ReportHeader): string {
  const doc = {
    seed: header.seed,
    profiles: Object.fromEntries(results.map((r) => [r.name, [...r.profiles]])),
    runs: Object.fromEntries(results.map((r) => [r.name, r.runs])),
    designs: results.map((r) => ({
      name: r.name,
      role: r.role,
      matches: r.matches,
      ...(header.timing ? { elapsedMs: r.elapsedMs } : {}),
      missing: r.missing.map((m) => m.property),
      unexpected: [...r.unexpected],
      coverageGaps: [...r.coverageGaps],
      determinismFailures: r.determinismFailures.map((d) => ({
        seed: d.seed,
        path: d.path,
        profile: d.profile,
      })),
      properties: r.properties.map((p) => ({
        id: p.id,
        status: p.status,
        runs: p.runs,
        exercised: p.exercised,
        expected: p.expected,
        ...(p.counterexample === undefined
          ? {}
          : { counterexample: counterexampleJson(r, p.counterexample, header.timing) }),
      })),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
