/**
 * Trace hashes of generated runs, to show that a change of the simulation leaves the runs it
 * should not affect byte-identical: run it before and after, then compare.
 *
 *   npx tsx bench/traceHashes.ts [--runs N] [--seed S] [--profiles a,b] [--designs x,y] > before.txt
 *   npx tsx bench/traceHashes.ts ... --compare before.txt
 *
 * One line per design and profile: the design, the profile, then the sha256 (12 hex digits)
 * of each run's serialized trace, over the first N scenarios fast-check generates for the
 * profile from the seed. Designs: the bundled ones and every design module of
 * fixtures/designs/correct and fixtures/designs/broken (`--designs` keeps those whose name
 * contains one of the words). `--compare FILE` prints, instead, the runs whose hash differs
 * from FILE's and the count: `changed 0 of 69000 runs`.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { exploreProfiles, scenarioArb, type ExploreProfile } from '../src/explore/scenarioArb.ts';
import { bundledDesigns, loadDesign } from '../src/design/loadDesign.ts';
import { runScenario } from '../src/sim/runScenario.ts';
import { serializeTrace } from '../src/sim/trace.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

function fail(message: string): never {
  process.stderr.write(`bench/traceHashes: ${message}\n`);
  process.exit(2);
}

function designSpecs(): string[] {
  const specs = [...bundledDesigns];
  for (const dir of ['fixtures/designs/correct', 'fixtures/designs/broken']) {
    for (const file of readdirSync(root + dir).sort()) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      specs.push(`./${dir}/${file}`);
    }
  }
  return specs;
}

function options(): {
  runs: number;
  seed: number;
  profiles: ExploreProfile[];
  words: string[];
  compare?: string;
} {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        runs: { type: 'string' },
        seed: { type: 'string' },
        profiles: { type: 'string' },
        designs: { type: 'string' },
        compare: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const runs = Number(values.runs ?? 300);
  const seed = Number(values.seed ?? 7);
  if (!Number.isSafeInteger(runs) || runs < 1)
    fail(`--runs must be a positive integer, got "${values.runs}"`);
  if (!Number.isSafeInteger(seed)) fail(`--seed must be an integer, got "${values.seed}"`);
  const profiles = (values.profiles?.split(',') ?? [...exploreProfiles]) as ExploreProfile[];
  for (const p of profiles) if (!exploreProfiles.includes(p)) fail(`unknown profile "${p}"`);
  const words = values.designs?.split(',') ?? [];
  return {
    runs,
    seed,
    profiles,
    words,
    ...(values.compare === undefined ? {} : { compare: values.compare }),
  };
}

const { runs, seed, profiles, words, compare } = options();
const lines: string[] = [];
for (const spec of designSpecs()) {
  if (words.length > 0 && !words.some((w) => spec.includes(w))) continue;
  // A helper module (parts, planted) exports no design: skipped.
  const loaded = await loadDesign(spec, root).catch(() => null);
  if (loaded === null) continue;
  for (const profile of profiles) {
    const hashes: string[] = [];
    for (const scenario of fc.sample(scenarioArb(profile), { seed, numRuns: runs })) {
      const trace = serializeTrace((await runScenario(loaded.design, scenario)).trace);
      hashes.push(createHash('sha256').update(trace).digest('hex').slice(0, 12));
    }
    lines.push(`${spec} ${profile} ${hashes.join(',')}`);
  }
}

if (compare === undefined) {
  process.stdout.write(lines.map((l) => `${l}\n`).join(''));
} else {
  const before = new Map<string, string[]>();
  for (const line of readFileSync(compare, 'utf8').split('\n')) {
    const [spec, profile, hashes] = line.split(' ');
    if (spec !== undefined && profile !== undefined && hashes !== undefined)
      before.set(`${spec} ${profile}`, hashes.split(','));
  }
  let total = 0;
  let changed = 0;
  for (const line of lines) {
    const [spec = '', profile = '', hashes = ''] = line.split(' ');
    const then = before.get(`${spec} ${profile}`);
    const now = hashes.split(',');
    total += now.length;
    const differing = now.flatMap((h, k) => (then?.[k] === h ? [] : [k]));
    changed += differing.length;
    if (differing.length > 0) process.stdout.write(`${spec} ${profile}: runs ${differing.join(', ')}\n`);
  }
  process.stdout.write(`changed ${changed} of ${total} runs\n`);
}
