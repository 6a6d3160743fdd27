/**
 * Runs per second of the command a user types: `check --design reference --profile lan
 * --runs N` of this checkout, spawned alternately with the same command of a baseline
 * checkout (`--baseline DIR`: another clone or `git worktree add DIR <commit>`; build it
 * first when its command runs dist/), so machine noise hits both alike. Wall time includes
 * the process and worker start, as a user sees it. Every report of a checkout must equal its
 * first (same seed, same report); with a baseline, says whether the two checkouts' reports
 * are byte-identical (they are when both simulate the same semantics and print the same
 * format).
 *
 * Run: `npm run -s build && npx tsx bench/check.bench.ts [--runs N] [--repeats N]
 * [--workers N] [--baseline DIR]` (default 2500 runs, the reference's default; 5 repeats).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './median.ts';

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '2500' },
    repeats: { type: 'string', default: '5' },
    workers: { type: 'string' },
    baseline: { type: 'string' },
  },
});
const here = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(path.join(here, 'dist/src/cli/run.js'))) {
  console.error('dist/ is missing: run npm run build first');
  process.exit(2);
}
const checkouts = [{ label: 'this checkout', root: here }];
if (flags.baseline !== undefined) {
  if (!existsSync(path.join(flags.baseline, 'bin/ws-lifecycle.js'))) {
    console.error(
      `--baseline ${flags.baseline}: no bin/ws-lifecycle.js there; give a checkout of this repository`,
    );
    process.exit(2);
  }
  checkouts.push({ label: `baseline ${flags.baseline}`, root: flags.baseline });
}
const args = ['check', '--design', 'reference', '--profile', 'lan', '--runs', flags.runs, '--json'];
if (flags.workers !== undefined) args.push('--workers', flags.workers);
const times = checkouts.map((): number[] => []);
const reports = checkouts.map((): string[] => []);
for (let k = 0; k < Number(flags.repeats); k++) {
  for (const [n, { label, root }] of checkouts.entries()) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [path.join(root, 'bin/ws-lifecycle.js'), ...args], {
      encoding: 'utf8',
      cwd: root,
    });
    if (r.status !== 0) {
      console.error(`${label} exited ${r.status}: ${r.stderr.split('\n')[0] ?? ''}`);
      process.exit(2);
    }
    times[n]?.push(performance.now() - t);
    reports[n]?.push(r.stdout);
  }
}
const runs = Number(flags.runs);
console.log(
  `check --design reference --profile lan --runs ${runs}${flags.workers ? ` --workers ${flags.workers}` : ''}`,
);
const rates = times.map((xs) => (runs * 1000) / median(xs));
for (const [n, { label }] of checkouts.entries()) {
  const each = (times[n] ?? []).map((x) => (x / 1000).toFixed(2)).join(' ');
  console.log(`  ${label.padEnd(32)} ${each} s; median ${Math.round(rates[n] ?? 0)} runs/s`);
}
for (const [n, { label }] of checkouts.entries()) {
  if (new Set(reports[n]).size !== 1) {
    console.log(`  ${label}: reports differ between repeats (a run is not a function of its seed)`);
    process.exitCode = 1;
  }
}
if (checkouts.length === 2) {
  const [mine, base] = rates as [number, number];
  console.log(`  ratio this/baseline: ${(mine / base).toFixed(2)}x`);
  const same = reports[0]?.[0] === reports[1]?.[0];
  console.log(`  reports byte-identical: ${same ? 'yes' : 'no'}`);
}
