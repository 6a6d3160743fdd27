/**
 * Start time of the built command line (bin/ws-lifecycle.js running dist/) with no user
 * design, next to an empty `node -e ''` measured in the same run: what a user waits before
 * any work starts. Interleaved spawns, so a busy machine slows both sides alike.
 *
 * Run: `npm run build && npx tsx bench/cliStart.bench.ts`. Prints medians of 10 spawns each
 * and the ratio to the empty node (the absolute target is a median of at most 0.4 s).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { median } from './median.ts';

const bin = fileURLToPath(new URL('../bin/ws-lifecycle.js', import.meta.url));
if (!existsSync(fileURLToPath(new URL('../dist/src/cli/run.js', import.meta.url)))) {
  console.error('dist/ is missing: run npm run build first');
  process.exit(2);
}
const cases: Record<string, string[]> = {
  "node -e ''": ['-e', ''],
  'ws-lifecycle --version': [bin, '--version'],
  'ws-lifecycle check --help': [bin, 'check', '--help'],
};
const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let round = 0; round < 11; round++) {
  for (const [name, args] of Object.entries(cases)) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}: ${r.stderr}`);
    if (round > 0) times[name]?.push(performance.now() - t); // round 0 warms the file cache
  }
}
const base = median(times["node -e ''"] ?? []);
for (const [name, xs] of Object.entries(times)) {
  const m = median(xs);
  console.log(
    `${name.padEnd(28)} median ${m.toFixed(0).padStart(4)} ms  x${(m / base).toFixed(2)} of empty node`,
  );
}
