/**
 * Renders censuses of several profiles as two tables: each fault's fires against the fires
 * its knob made due, and the runs in which each property precondition occurred.
 */
import { preconditions, type PreconditionName, type ProfileCensus } from '../explore/census.ts';

/**
 * Measured rate over stated rate of one fault; null when no fire was due (knob off). Pure.
 *
 * @example
 * rateRatio({ label: 'authFail', asked: 100, fired: 11, expected: 10 }); // 1.1
 */
export function rateRatio(fault: ProfileCensus['faults'][number]): number | null {
  return fault.expected > 0 ? fault.fired / fault.expected : null;
}

/**
 * The census as text, one column per profile. Pure.
 *
 * @example
 * renderCensus([await census(reference, { profile: 'hostile', runs: 500, seed: 1 })]);
 */
export function renderCensus(censuses: readonly ProfileCensus[]): string {
  const head = ['', ...censuses.map((c) => c.profile)];
  const faultRows = censuses[0]?.faults.map((f, k) => [
    `${f.label}: fired / due`,
    ...censuses.map((c) => {
      const fault = c.faults[k];
      if (fault === undefined || fault.asked === 0) return 'off';
      const ratio = rateRatio(fault);
      return `${fault.fired} / ${fault.expected.toFixed(0)}${ratio === null ? '' : ` (${ratio.toFixed(2)})`}`;
    }),
  ]);
  const names = Object.keys(preconditions) as PreconditionName[];
  const preconditionRows = names.map((name) => [name, ...censuses.map((c) => String(c.runsWith[name]))]);
  const runs = [...new Set(censuses.map((c) => c.runs))].join('/');
  const lines = [
    `census over ${runs} generated runs per profile`,
    '',
    'faults (fired / due at the knob rate, ratio):',
    ...table([head, ...(faultRows ?? [])]),
    '',
    'preconditions (runs in which each occurred):',
    ...table([head, ...preconditionRows]),
    '',
    ...names.map((name) => `  ${name}: ${preconditions[name]}`),
  ];
  return `${lines.join('\n')}\n`;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, col) => (col === 0 ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}
