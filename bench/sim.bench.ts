/**
 * Simulation throughput, measured the way `check` spends it.
 *
 * 1. Exploration: `explore(reference, lan)` generated runs per second (generate, simulate,
 *    check), in rounds that alternate with a baseline so machine noise hits both alike.
 *    The baseline is another checkout of this repository (`--baseline DIR`, e.g.
 *    `git worktree add /tmp/base <commit>`), loaded from its own sources; without one, the
 *    subject is only measured. With a baseline, the first runs' traces are compared byte
 *    for byte: "identical" when both simulate the same semantics.
 * 2. Harness floor: the share of a run's CPU spent in the reducer (the design's own work)
 *    against everything around it (clock, network, sockets, trace).
 * 3. Where a generated run's CPU goes, warm: generating its scenario, simulating it and
 *    checking its trace, each timed on its own over the same runs.
 *
 * Run: npx tsx bench/sim.bench.ts [--runs N] [--rounds N] [--baseline DIR]
 */
import fc from 'fast-check';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CheckContext } from '../src/properties/propertyTypes.ts';
import type { Design, ReducerDesign, Scenario } from '../src/sim/types.ts';
import type { RunResult } from '../src/trace/types.ts';

interface Subject {
  readonly label: string;
  readonly explore: (
    design: Design,
    options: { runs: number; seed: number; profile: 'lan' },
  ) => Promise<unknown>;
  readonly runScenario: (design: Design, scenario: Scenario) => Promise<RunResult>;
  readonly serializeTrace: (trace: RunResult['trace']) => string;
  readonly scenarioArb: (profile: 'lan') => fc.Arbitrary<Scenario>;
  readonly checkTrace: (run: RunResult, ctx: CheckContext) => unknown;
  readonly reference: ReducerDesign;
}

async function load(label: string, root: string): Promise<Subject> {
  const from = (file: string): Promise<Record<string, unknown>> => import(path.resolve(root, file));
  const explore = await from('src/explore/explore.ts');
  const sim = await from('src/sim/runScenario.ts');
  const trace = await from('src/sim/trace.ts');
  const arb = await from('src/explore/scenarioArb.ts');
  const designs = await from('src/designs/reference.ts');
  const check = await from('src/properties/checkTrace.ts');
  return {
    label,
    explore: explore['explore'] as Subject['explore'],
    runScenario: sim['runScenario'] as Subject['runScenario'],
    serializeTrace: trace['serializeTrace'] as Subject['serializeTrace'],
    scenarioArb: arb['scenarioArb'] as Subject['scenarioArb'],
    checkTrace: check['checkTrace'] as Subject['checkTrace'],
    reference: designs['reference'] as ReducerDesign,
  };
}

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '5' },
    baseline: { type: 'string' },
  },
});
const runs = Number(flags.runs);
const rounds = Number(flags.rounds);
const subjects = [await load('this checkout', '.')];
if (flags.baseline !== undefined) subjects.push(await load(`baseline ${flags.baseline}`, flags.baseline));

// 1. Exploration throughput, interleaved; the first round warms the JIT and is not counted.
const spent = subjects.map(() => 0);
for (let round = 0; round <= rounds; round++) {
  for (const [k, s] of subjects.entries()) {
    const start = performance.now();
    await s.explore(s.reference, { runs, seed: 1 + round, profile: 'lan' });
    if (round > 0) spent[k] = (spent[k] ?? 0) + performance.now() - start;
  }
}
console.log(`exploration: explore(reference, lan), ${runs} runs x ${rounds} rounds each, interleaved`);
const perSecond = spent.map((ms) => (runs * rounds) / (ms / 1000));
for (const [k, s] of subjects.entries())
  console.log(`  ${s.label.padEnd(40)} ${(perSecond[k] ?? 0).toFixed(0).padStart(6)} runs/s`);
if (subjects.length === 2) {
  const [mine, base] = perSecond as [number, number];
  console.log(`  ratio this/baseline: ${(mine / base).toFixed(2)}x`);
  // Same scenarios through both simulations: byte-identical traces or not.
  const [self, other] = subjects as [Subject, Subject];
  const sample = fc.sample(self.scenarioArb('lan'), { numRuns: 200, seed: 42 });
  let differing = 0;
  for (const scenario of sample) {
    const a = self.serializeTrace((await self.runScenario(self.reference, scenario)).trace);
    const b = other.serializeTrace((await other.runScenario(other.reference, scenario)).trace);
    if (a !== b) differing += 1;
  }
  console.log(
    differing === 0
      ? `  traces: identical on ${sample.length} scenarios`
      : `  traces: ${differing} of ${sample.length} scenarios differ (the baseline simulates other semantics)`,
  );
}

// 2. Harness floor: the reducer's CPU inside a run against the whole run.
const [self] = subjects as [Subject];
let inReducer = 0;
const timed: ReducerDesign = {
  ...self.reference,
  step(state, input) {
    const start = performance.now();
    const result = self.reference.step(state, input);
    inReducer += performance.now() - start;
    return result;
  },
};
const scenarios = fc.sample(self.scenarioArb('lan'), { numRuns: runs, seed: 7 });
for (const scenario of scenarios.slice(0, 100)) await self.runScenario(timed, scenario);
inReducer = 0;
const start = performance.now();
for (const scenario of scenarios) await self.runScenario(timed, scenario);
const total = performance.now() - start;
const us = (ms: number): string => `${((ms / runs) * 1000).toFixed(1)} us`;
console.log(`harness floor: ${runs} lan runs of the reference (simulation only, no checkers)`);
console.log(
  `  per run ${us(total)}, of which the reducer ${us(inReducer)} (${((100 * inReducer) / total).toFixed(1)}%)`,
);

// 3. A generated run's CPU by phase, over the same runs; the first round warms the JIT and is
// not counted.
const ctx: CheckContext = { design: { name: 'reference', kind: 'reducer' }, profile: 'lan' };
const phases = { generate: 0, simulate: 0, check: 0 };
for (let round = 0; round < 2; round++) {
  let t = performance.now();
  const generated = fc.sample(self.scenarioArb('lan'), { numRuns: runs, seed: 11 + round });
  const generate = performance.now() - t;
  t = performance.now();
  const results: RunResult[] = [];
  for (const scenario of generated) results.push(await self.runScenario(self.reference, scenario));
  const simulate = performance.now() - t;
  t = performance.now();
  for (const run of results) self.checkTrace(run, ctx);
  const check = performance.now() - t;
  if (round === 1) Object.assign(phases, { generate, simulate, check });
}
const whole = phases.generate + phases.simulate + phases.check;
console.log(`phases: ${runs} generated lan runs of the reference, warm`);
for (const [phase, ms] of Object.entries(phases))
  console.log(`  ${phase.padEnd(9)} ${us(ms).padStart(9)} per run (${((100 * ms) / whole).toFixed(1)}%)`);
