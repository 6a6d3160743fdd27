/**
 * Python design throughput against the simulation's, over the same generated scenarios.
 *
 * 1. Worker start-up: `python3 -m ws_lifecycle_runner serve DESIGN.py` from spawn to its
 *    ready line (src/python/runPython.ts runnerFor), median of a few starts.
 * 2. Python runs/s: runPythonDesign on one worker (one process, one run at a time, as one
 *    `check --workers 1` thread drives it) over N scenarios of scenarioArb(profile).
 * 3. TypeScript runs/s: runScenario of a handler design (default: the naive design, the
 *    endpoint FastAPI's chat is closest to: straight sends, no state check) over the same
 *    scenarios, in the same process; the ratio of the two.
 *
 * Neither side judges the traces: the figures are run time only.
 *
 * Run: npx tsx bench/python.bench.ts [--runs N] [--profile lan] [--design PY] [--ts NAME|PATH]
 */
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { loadDesign } from '../src/design/loadDesign.ts';
import { scenarioArb, type ExploreProfile } from '../src/explore/scenarioArb.ts';
import { closeRunners, runnerFor, runPythonDesign } from '../src/python/runPython.ts';
import { defaultConfig } from '../src/core/state.ts';
import { runScenario } from '../src/sim/runScenario.ts';
import type { Scenario } from '../src/sim/types.ts';
import { median } from './median.ts';

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '300' },
    profile: { type: 'string', default: 'lan' },
    design: { type: 'string', default: 'examples/python/chat_design.py' },
    ts: { type: 'string', default: 'naive' },
    seed: { type: 'string', default: '1' },
  },
});
const runs = Number(flags.runs);
const profile = flags.profile as ExploreProfile;
const cwd = process.cwd();

const py = (await loadDesign(flags.design, cwd)).design;
const ts = (await loadDesign(flags.ts, cwd)).design;
if (py.kind !== 'python' || ts.kind === 'python') {
  process.stderr.write('python.bench: --design must be a .py design and --ts a TypeScript one\n');
  process.exit(2);
}
const scenarios: Scenario[] = fc.sample(scenarioArb(profile), { numRuns: runs, seed: Number(flags.seed) });
const commands = scenarios.reduce((n, s) => n + s.commands.length, 0);

// 1. Start-up: a fresh process each time (closeRunners ends the previous one).
const starts: number[] = [];
for (let i = 0; i < 5; i++) {
  await closeRunners();
  const t0 = performance.now();
  await runnerFor(py.file);
  starts.push(performance.now() - t0);
}

/** Seconds to run every scenario once, one at a time, after `warm` runs not counted. */
async function timed(run: (s: Scenario) => Promise<unknown>, warm = 20): Promise<number> {
  for (const s of scenarios.slice(0, warm)) await run(s);
  const t0 = performance.now();
  for (const s of scenarios) await run(s);
  return (performance.now() - t0) / 1000;
}

const pySeconds = await timed((s) => runPythonDesign(py, s, defaultConfig));
const tsSeconds = await timed((s) => runScenario(ts, s));
await closeRunners();

const fmt = (x: number): string => x.toFixed(1);
process.stdout.write(
  [
    `python.bench: ${runs} scenarios of scenarioArb('${profile}') (seed ${flags.seed}; ${fmt(commands / runs)} commands per scenario)`,
    `  worker start-up (${py.name}, spawn to ready line): median ${fmt(median(starts))} ms of ${starts.map(fmt).join(', ')}`,
    `  python  ${py.name}: ${fmt(runs / pySeconds)} runs/s (${fmt((pySeconds * 1000) / runs)} ms per run, one worker)`,
    `  ts      ${ts.name}: ${fmt(runs / tsSeconds)} runs/s (${fmt((tsSeconds * 1000) / runs)} ms per run, same thread)`,
    `  ratio   ts / python: ${fmt(pySeconds / tsSeconds)}x`,
    '',
  ].join('\n'),
);
