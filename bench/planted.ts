/**
 * Detection rate of the planted-bug suite (fixtures/designs/broken/README.md): explores
 * every planted-bug design the way `check` explores a user's design and prints, per design,
 * the property it must violate, whether it was caught with its declared finding, the runs
 * to the first counterexample and the shrunk counterexample's steps; then the rate.
 *
 *   npx tsx bench/planted.ts [--runs N] [--seed S]
 *
 * `--runs` is the budget per profile (default: `check`'s for a user's design).
 */
import { parseArgs } from 'node:util';
import { detect, loadPlanted, userBudget, type Detection } from '../properties/plantedSuite.ts';

function intOption(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > 10_000_000) {
    process.stderr.write(
      `bench/planted: --${name} must be an integer from ${min} to 10000000, got "${raw}"\n`,
    );
    process.exit(2);
  }
  return n;
}

function parse(): { runs: number; seed: number } {
  try {
    const { values } = parseArgs({
      options: { runs: { type: 'string' }, seed: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    return {
      runs: intOption('runs', values.runs, userBudget.runsPerProfile, 1),
      seed: intOption('seed', values.seed, 1, -2147483648),
    };
  } catch (error) {
    process.stderr.write(`bench/planted: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
}

function row(cells: readonly string[]): string {
  const widths = [28, 8, 4, 7, 10, 7, 6];
  return cells
    .map((c, k) => c.padEnd(widths[k] ?? 0))
    .join(' ')
    .trimEnd();
}

function describeMiss(found: Detection): string {
  return found.otherFinding === undefined ? '' : `other finding: ${found.otherFinding}`;
}

const { runs, seed } = parse();
const suite = await loadPlanted();
process.stdout.write(
  `planted-bug suite: ${suite.length} designs, ${runs} runs x ${userBudget.profiles.join(', ')}, seed ${seed}\n\n`,
);
process.stdout.write(`${row(['design', 'kind', 'prop', 'caught', 'profile', 'runs', 'steps'])}  notes\n`);
let caught = 0;
let reachable = 0;
let reachableCaught = 0;
for (const entry of suite) {
  const found = await detect(entry, { runsPerProfile: runs, profiles: userBudget.profiles }, seed);
  const needs = entry.planted.needs;
  if (found.caught) caught += 1;
  if (needs === undefined) {
    reachable += 1;
    if (found.caught) reachableCaught += 1;
  }
  const notes = [needs === undefined ? '' : `needs: ${needs}`, found.caught ? '' : describeMiss(found)]
    .filter((n) => n !== '')
    .join('; ');
  const cells = [
    entry.design.name,
    entry.design.kind,
    entry.planted.property,
    found.caught ? 'y' : 'n',
    found.profile ?? '-',
    found.runsToFirst === undefined ? '-' : String(found.runsToFirst),
    found.steps === undefined ? '-' : String(found.steps),
  ];
  process.stdout.write(`${row(cells)}  ${notes}\n`);
}
const pct = (a: number, b: number): string => (b === 0 ? '-' : `${Math.round((100 * a) / b)}%`);
process.stdout.write(`\ndetection rate: ${caught}/${suite.length} (${pct(caught, suite.length)})`);
process.stdout.write(
  `; without a declared precondition: ${reachableCaught}/${reachable} (${pct(reachableCaught, reachable)})\n`,
);
