/**
 * One exploration on 1 worker and on 2: `check --design reference --profile lan --runs N`
 * with `--workers 1`, with `--workers 2` (split if N reaches the pool's least runs per
 * worker) and with `--workers 2` split whatever N (WS_LIFECYCLE_SPLIT_MIN_RUNS=1), spawned
 * alternately (so a busy machine slows all alike): wall time and runs/s of each, the ratios to
 * 1 worker, and whether the JSON reports are byte-identical (they must be).
 *
 * Run: `npm run -s build && npx tsx bench/workers.bench.ts [runs] [repeats]` (default 3000
 * runs, 3 repeats each). The speed-up is bounded by the cores the machine gives this process:
 * on a machine busy with other work, two workers share what one would get.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { median } from './median.ts';

const bin = fileURLToPath(new URL('../bin/ws-lifecycle.js', import.meta.url));
if (!existsSync(fileURLToPath(new URL('../dist/src/cli/run.js', import.meta.url)))) {
  console.error('dist/ is missing: run npm run build first');
  process.exit(2);
}
const runs = Number(process.argv[2] ?? 3000);
const repeats = Number(process.argv[3] ?? 3);
const args = ['check', '--design', 'reference', '--profile', 'lan', '--runs', String(runs), '--json'];

const cases = {
  '--workers 1': { workers: '1', env: {} },
  '--workers 2': { workers: '2', env: {} },
  '--workers 2, split': { workers: '2', env: { WS_LIFECYCLE_SPLIT_MIN_RUNS: '1' } },
} as const;
type Case = keyof typeof cases;
const times: Record<Case, number[]> = { '--workers 1': [], '--workers 2': [], '--workers 2, split': [] };
const reports = new Set<string>();
for (let k = 0; k < repeats; k++) {
  for (const [name, { workers, env }] of Object.entries(cases) as [Case, (typeof cases)[Case]][]) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [bin, ...args, '--workers', workers], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
    times[name].push(performance.now() - t);
    reports.add(r.stdout);
  }
}
console.log(`check --design reference --profile lan --runs ${runs}, ${availableParallelism()} cores`);
const base = median(times['--workers 1']);
for (const name of Object.keys(cases) as Case[]) {
  const xs = times[name];
  const m = median(xs);
  const each = xs.map((x) => (x / 1000).toFixed(2)).join(' ');
  console.log(
    `${name.padEnd(18)} ${each} s; median ${(m / 1000).toFixed(2)} s, ${Math.round((runs * 1000) / m)} runs/s, speed-up x${(base / m).toFixed(2)}`,
  );
}
console.log(`reports byte-identical: ${reports.size === 1 ? 'yes' : `NO (${reports.size} different)`}`);
if (reports.size !== 1) process.exitCode = 1;
