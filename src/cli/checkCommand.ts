/**
 * `ws-lifecycle check`: explores every design under its profiles, prints the matrix and
 * counterexamples, and returns the exit code (0 match, 1 mismatch).
 */
import { parseArgs } from 'node:util';
import { toCorpusEntry } from '../check/corpus.ts';
import type { Expectation } from '../check/expectations.ts';
import { loadExpectations, saveCounterexample } from './fixtureFiles.ts';
import type { DesignRole } from '../check/judgeDesign.ts';
import { runJobs } from '../check/parallel/jobPool.ts';
import { judgePlan, planJobs, shardJobs, type PlannedDesign } from '../check/parallel/judgePlan.ts';
import type { ExploreJob, JobOutcome } from '../check/parallel/protocol.ts';
import { runawayLines } from '../check/parallel/runawayLines.ts';
import { shardFormat, shardJson } from '../check/parallel/shardReport.ts';
import { isolationFlags } from './isolationFlags.ts';
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
      workers: { type: 'string' },
      shard: { type: 'string' },
      'time-limit': { type: 'string' },
      'run-time-limit': { type: 'string' },
      'memory-limit': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const runs = values.runs === undefined ? undefined : intFlag('runs', values.runs, { min: 1 });
  const seed =
    values.seed === undefined ? 1 : intFlag('seed', values.seed, { min: -2147483648, max: 2147483647 });
  const profile = values.profile === undefined ? undefined : profileFlag(values.profile);
  const isolation = isolationFlags(values);
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
  if (!values.json) {
    io.out(`ws-lifecycle check: seed ${seed}\n`);
    for (const p of plan) io.out(`  ${p.design.name}: ${p.runs} runs x ${p.profiles.join(', ')}\n`);
    io.out('profiles:\n');
    for (const p of [...new Set(plan.flatMap((x) => x.profiles))]) io.out(`${knobsLine(p)}\n`);
    io.out('\n');
  }

  const settings = { seed, cwd: io.cwd, coverageMinRuns };
  const planned: PlannedDesign[] = plan.map((p) => ({
    name: p.design.name,
    ref: p.ref,
    role: p.role,
    ...(p.expectation === undefined ? {} : { expectation: p.expectation }),
    profiles: p.profiles,
    runs: p.runs,
  }));
  const allJobs = planJobs(planned, settings);
  const mine =
    isolation.shard === null
      ? allJobs.map((_, i) => i)
      : shardJobs(allJobs.length, isolation.shard.index, isolation.shard.count);
  const progress = new Progress(
    io,
    'check',
    mine.reduce((n, i) => n + (allJobs[i]?.runs ?? 0), 0),
    !values.json,
  );
  let runsDone = 0;
  const interrupt = new AbortController();
  const onSigint = (): void => interrupt.abort();
  process.once('SIGINT', onSigint);
  const pool = await runJobs(
    mine.map((i) => allJobs[i] as ExploreJob),
    {
      workers: isolation.workers,
      limits: isolation.limits,
      ...(isolation.timeLimitMs === undefined ? {} : { timeLimitMs: isolation.timeLimitMs }),
      signal: interrupt.signal,
      onOutcome: (k) => progress.tick((runsDone += allJobs[mine[k] ?? 0]?.runs ?? 0)),
    },
  ).finally(() => process.removeListener('SIGINT', onSigint));
  progress.done();
  const outcomes: (JobOutcome | undefined)[] = allJobs.map(() => undefined);
  mine.forEach((job, k) => (outcomes[job] = pool.outcomes[k]));
  if (isolation.shard !== null && values.json) {
    io.out(
      shardJson({
        format: shardFormat,
        shard: isolation.shard,
        settings: { seed, coverageMinRuns },
        plan: planned,
        jobs: allJobs.length,
        outcomes: mine.flatMap((job) => {
          const outcome = outcomes[job];
          return outcome === undefined ? [] : [{ job, outcome }];
        }),
      }),
    );
    return pool.stopped === 'interrupted' ? 130 : pool.stopped === null ? 0 : 1;
  }
  const { results, runaways, errors } = judgePlan(planned, outcomes, settings);

  const header = { seed, timing: values.timing };
  io.out(values.json ? reportJson(results, header) : renderReport(results, header));
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
  const unfinished = mine
    .filter((job) => outcomes[job] === undefined)
    .map((job) => allJobs[job] as ExploreJob);
  (values.json ? io.err : io.out)(runawayLines(runaways, errors, unfinished, pool.stopped));
  if (pool.stopped === 'interrupted') return 130;
  const clean = runaways.length === 0 && errors.length === 0 && unfinished.length === 0;
  return clean && results.every((r) => r.matches) ? 0 : 1;
}
