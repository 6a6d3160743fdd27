/**
 * One exploration on 1 worker and on 2: `check --design reference --profile lan --runs N`
 * with `--workers 1` and `--workers 2`, spawned alternately (so a busy machine slows both
 * alike), wall time and runs/s of each, the ratio 1-worker time / 2-worker time, and whether
 * the JSON reports are byte-identical (they must be).
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

const bin = fileURLToPath(new URL('../bin/ws-lifecycle.js', import.meta.url));
if (!existsSync(fileURLToPath(new URL('../dist/src/cli/run.js', import.meta.url)))) {
  console.error('dist/ is missing: run npm run build first');
  process.exit(2);
}
const runs = Number(process.argv[2] ?? 3000);
const repeats = Number(process.argv[3] ?? 3);
const args = ['check', '--design', 'reference', '--profile', 'lan', '--runs', String(runs), '--json'];

const times: Record<'1' | '2', number[]> = { '1': [], '2': [] };
const reports = new Set<string>();
for (let k = 0; k < repeats; k++) {
  for (const workers of ['1', '2'] as const) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [bin, ...args, '--workers', workers], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`--workers ${workers} exited ${r.status}: ${r.stderr}`);
    times[workers].push(performance.now() - t);
    reports.add(r.stdout);
  }
}
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
console.log(`check --design reference --profile lan --runs ${runs}, ${availableParallelism()} cores`);
for (const workers of ['1', '2'] as const) {
  const xs = times[workers];
  const m = median(xs);
  console.log(
    `--workers ${workers}: ${xs.map((x) => (x / 1000).toFixed(2)).join(' ')} s; median ${(m / 1000).toFixed(2)} s, ${Math.round((runs * 1000) / m)} runs/s`,
  );
}
console.log(
  `speed-up (1-worker / 2-worker median wall): x${(median(times['1']) / median(times['2'])).toFixed(2)}`,
);
console.log(`reports byte-identical: ${reports.size === 1 ? 'yes' : `NO (${reports.size} different)`}`);
if (reports.size !== 1) process.exitCode = 1;
