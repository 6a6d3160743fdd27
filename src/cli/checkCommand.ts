/**
 * `ws-lifecycle check`: explores every design under its profiles, prints the matrix and
 * counterexamples, and returns the exit code (0 match, 1 mismatch).
 */
import { parseArgs } from 'node:util';
import { toCorpusEntry } from '../check/corpus.ts';
import type { Expectation } from '../check/expectations.ts';
import { loadExpectations, saveCounterexample } from './fixtureFiles.ts';
import { explore, type DesignReport } from '../check/explore.ts';
import type { DesignResult, DesignRole } from '../check/judgeDesign.ts';
import { judgeReadings, type ReadingsResult } from '../check/judgeReadings.ts';
import { readingsJson, renderReadings } from '../check/readingReport.ts';
import { readingsToRun, unknownOption, type Reading } from '../check/readings.ts';
import { FixtureError } from '../check/errors.ts';
import { renderReport, reportJson } from '../check/report.ts';
import type { ExploreProfile } from '../check/scenarioArb.ts';
import { profiles } from '../sim/profiles.ts';
import { intFlag, profileFlag } from './flags.ts';
import type { Io } from './io.ts';
import { bundledDesigns, loadDesign, type LoadedDesign } from './loadDesign.ts';
import { Progress } from './progress.ts';

/**
 * Default generated runs per profile, by role. The reference gets 2,500 on each of its four
 * profiles (10,000 in all); seed designs break early, so fewer runs still find their
 * violations; `npm run check` on the six bundled designs stays under a minute on 2 cores.
 */
export const defaultRunsPerProfile: Readonly<Record<DesignRole, number>> = {
  reference: 2500,
  seed: 400,
  user: 1000,
};

/**
 * Runs per profile of a seed port's non-default readings, all together, as a multiple of the
 * default reading's: a port with one other reading runs it in full, seed-000 and seed-001
 * (seven others) run 4/7 each. Unshrunk, this keeps `npm run check` within its 90 s budget
 * on 2 cores.
 */
export const otherReadingsBudget = 4;

/** Runs per profile of each non-default reading, given the default's and the readings' count. Pure. */
export function otherReadingRuns(runs: number, readings: number): number {
  if (readings <= 1) return runs;
  return Math.ceil(runs * Math.min(1, otherReadingsBudget / (readings - 1)));
}

/** The reference is judged on coverage only with at least this many runs in all. */
export const coverageMinRuns = 1000;

const expectationsDir = new URL('../../fixtures/expectations/', import.meta.url).pathname;

/** The profiles a design is explored under when `--profile` is not given. Pure. */
export function defaultProfiles(role: DesignRole, expectation: Expectation | undefined): ExploreProfile[] {
  if (role !== 'seed') return ['ideal', 'lan', 'cloud-run', 'hostile'];
  const named = [
    ...new Set(expectation?.expected.flatMap((e) => (e.profile === undefined ? [] : [e.profile])) ?? []),
  ];
  // Violations without a profile may show under any; lan and cloud-run are where the seeds
  // say they happened.
  const unbound = expectation === undefined || expectation.expected.some((e) => e.profile === undefined);
  const base: ExploreProfile[] = unbound ? ['lan', 'cloud-run'] : [];
  return [...base, ...named.filter((p) => !base.includes(p))];
}

function knobsLine(profile: ExploreProfile): string {
  if (profile === 'swarm') return `  swarm: every knob drawn per run`;
  const knobs = Object.entries(profiles[profile]).map(([k, v]) => `${k}=${String(v)}`);
  return `  ${profile}: ${knobs.join(' ')}`;
}

/**
 * Runs `check` with its arguments (after the command word). Writes the report to `io`.
 *
 * @returns 0 when every design matches its expectation, 1 otherwise.
 * @throws UsageError, DesignLoadError, FixtureError for bad input (the caller exits 2).
 */
export async function checkCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      design: { type: 'string', multiple: true },
      runs: { type: 'string' },
      seed: { type: 'string' },
      profile: { type: 'string' },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      timing: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const runs = values.runs === undefined ? undefined : intFlag('runs', values.runs, { min: 1 });
  const seed =
    values.seed === undefined ? 1 : intFlag('seed', values.seed, { min: -2147483648, max: 2147483647 });
  const profile = values.profile === undefined ? undefined : profileFlag(values.profile);
  const expectations = await loadExpectations(expectationsDir);
  const specs = values.design ?? [...bundledDesigns];
  // Load everything first: a bad design fails fast, before minutes of exploration.
  const loaded: LoadedDesign[] = [];
  for (const spec of specs) loaded.push(await loadDesign(spec, io.cwd));

  const plan = loaded.map((l) => {
    const expectation = l.role === 'seed' ? expectations.get(l.design.name) : undefined;
    const plannedProfiles = profile === undefined ? defaultProfiles(l.role, expectation) : [profile];
    return { ...l, expectation, profiles: plannedProfiles, runs: runs ?? defaultRunsPerProfile[l.role] };
  });
  for (const p of plan) {
    for (const e of [...(p.expectation?.expected ?? []), ...(p.expectation?.holds ?? [])]) {
      const bad = unknownOption(p.port?.readings ?? [], e.readings ?? []);
      if (bad !== null) {
        throw new FixtureError(
          `fixtures/expectations/${p.design.name}.json: ${e.property} names reading "${bad}", which the port does not have; fix the fixture file`,
        );
      }
    }
  }
  if (!values.json) {
    io.out(`ws-lifecycle check: seed ${seed}\n`);
    for (const p of plan) {
      const count = p.port === undefined ? 0 : readingsToRun(p.port.readings).length;
      const n =
        count <= 1
          ? ''
          : ` (default reading; ${otherReadingRuns(p.runs, count)} for each of ${count - 1} more)`;
      io.out(`  ${p.design.name}: ${p.runs} runs x ${p.profiles.join(', ')}${n}\n`);
    }
    io.out('profiles:\n');
    for (const p of [...new Set(plan.flatMap((x) => x.profiles))]) io.out(`${knobsLine(p)}\n`);
    io.out('\n');
  }

  const results: DesignResult[] = [];
  const readingResults: ReadingsResult[] = [];
  for (const p of plan) {
    // A seed port is explored under each of its readings, the bundled default first.
    const readings = p.port === undefined ? [null] : readingsToRun(p.port.readings);
    const otherRuns = otherReadingRuns(p.runs, readings.length);
    const planned = (p.runs + otherRuns * (readings.length - 1)) * p.profiles.length;
    const progress = new Progress(io, `design ${p.design.name}`, planned, !values.json);
    const perReading: { reading: Reading; reports: DesignReport[] }[] = [];
    let offset = 0;
    for (const [k, reading] of readings.entries()) {
      const design = reading === null || p.port === undefined ? p.design : p.port.design(reading);
      const reports: DesignReport[] = [];
      for (const prof of p.profiles) {
        const start = offset;
        // The default reading's counterexamples are printed and saved; the other readings
        // only say whether a property is violated, so they are not shrunk.
        const report = await explore(design, {
          runs: k === 0 ? p.runs : otherRuns,
          seed,
          profile: prof,
          ...(k === 0 ? {} : { maxShrinkRuns: 0 }),
          onProgress: (n) => progress.tick(start + n),
        });
        reports.push(report);
        offset += report.runs;
      }
      perReading.push({ reading: reading ?? {}, reports });
    }
    progress.done();
    const totalRuns = perReading[0]?.reports.reduce((n, r) => n + r.runs, 0) ?? 0;
    const judged = {
      name: p.design.name,
      ref: p.ref,
      role: p.role,
      ...(p.expectation === undefined ? {} : { expectation: p.expectation }),
      coverageRequired: totalRuns >= coverageMinRuns,
    };
    const { row, readings: across } = judgeReadings({
      ...judged,
      space: p.port?.readings ?? [],
      perReading,
    });
    results.push(row);
    readingResults.push(across);
  }

  const header = { seed, timing: values.timing };
  if (values.json) {
    // The readings go beside the report's own fields, in the same layout.
    const doc = JSON.parse(reportJson(results, header)) as Record<string, unknown>;
    io.out(`${JSON.stringify({ ...doc, readings: readingsJson(readingResults) }, null, 2)}\n`);
  } else {
    io.out(renderReport(results, header));
    io.out(renderReadings(readingResults));
  }
  if (values.out !== undefined) {
    let saved = 0;
    for (const r of results) {
      for (const prop of r.properties) {
        if (prop.counterexample === undefined) continue;
        await saveCounterexample(values.out, toCorpusEntry(r.name, prop.counterexample));
        saved += 1;
      }
    }
    io.err(`saved ${saved} counterexample(s) under ${values.out}\n`);
  }
  return results.every((r) => r.matches) ? 0 : 1;
}
