/**
 * What `ws-lifecycle check` does (its flags and help are in checkCommand.ts, which loads this
 * module only to run): explores every design under its profiles, prints the matrix and
 * counterexamples and a closing summary line, and returns the exit code (0 match, 1 mismatch).
 */
import { defaultPythonCheckRuns } from '../check/checkDesign.ts';
import { randomInt } from 'node:crypto';
import { toCorpusEntry } from '../explore/corpus.ts';
import type { Expectation } from '../judge/expectations.ts';
import type { DesignResult, DesignRole } from '../judge/judgeDesign.ts';
import { FixtureError } from '../design/errors.ts';
import { readingsToRun, unknownOption } from '../design/readings.ts';
import { fitLines, summaryLine } from '../report/report.ts';
import { judgePlan, otherReadingRuns, planJobs, shardJobs } from '../judge/judgePlan.ts';
import type { ExploreJob, JobOutcome } from '../pool/protocol.ts';
import { runawayLines } from '../pool/runawayLines.ts';
import { shardFormat, shardJson, type ShardReport } from '../judge/shardReport.ts';
import { coverageMinRuns, planEntry, type PlannedDesign } from '../judge/runChecks.ts';
import type { ExploreProfile } from '../explore/scenarioArb.ts';
import { profiles } from '../sim/profiles.ts';
import { withPython } from '../sim/python.ts';
import type { PythonVersion } from '../sim/types.ts';
import { paintFor } from './colors.ts';
import { checkFlags } from './checkFlags.ts';
import { checkOutput, writeCheckReports } from './checkOutput.ts';
import { parseFlags } from './command.ts';
import { corpusModulePath, loadExpectations, saveCounterexample } from './fixtureFiles.ts';
import { intFlag, maxRuns, profilesFlag, pythonFlag, reportFlag, seedBounds, seedFlag } from './flags.ts';
import type { Io } from './io.ts';
import { isolationFlags } from './isolationFlags.ts';
import { bundledDesigns, loadDesign, type LoadedDesign } from '../design/loadDesign.ts';
import { checkOutDir } from './outputPaths.ts';
import { checkReportTargets } from './reportOutputs.ts';
import { expectationsDir } from '../design/packagePaths.ts';
import { runPool, stopSignals } from './poolRun.ts';
import { progressFlag } from './progress.ts';
import { exitCodes, verdictExit } from './exitCodes.ts';

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

/** A fault rate per million as a percentage: `2%`, `0.5%`. Pure. */
function percent(perMillion: number): string {
  return `${Number((perMillion / 10_000).toPrecision(3))}%`;
}

/**
 * What a profile does, on one line: its latency and the faults it injects (`--verbose`:
 * every knob). Pure.
 *
 * @example
 * knobsLine('lan', false); // '  lan: 1-5 ms latency; no faults'
 */
export function knobsLine(profile: ExploreProfile, verbose: boolean): string {
  if (profile === 'swarm') return `  swarm: every knob drawn per run`;
  const k = profiles[profile];
  if (verbose) {
    const knobs = Object.entries(k).map(([name, v]) => `${name}=${String(v)}`);
    return `  ${profile}: ${knobs.join(' ')}`;
  }
  const faults = (
    [
      ['close', k.peerClosePerMillion],
      ['drop', k.abruptDisconnectPerMillion],
      ['sendfail', k.sendFailurePerMillion],
      ['authfail', k.authFailurePerMillion],
      ['stall', k.readStallPerMillion],
    ] as const
  ).flatMap(([name, v]) => (v !== undefined && v > 0 ? [`${name} ${percent(v)}`] : []));
  const latency = k.latencyMsMax === 0 ? 'no latency' : `${k.latencyMsMin}-${k.latencyMsMax} ms latency`;
  return `  ${profile}: ${latency}; ${faults.length === 0 ? 'no faults' : faults.join(' ')}`;
}

/** `l` with Python `python`'s wait_for; a seed port's readings each run on it too. Pure. */
function withPythonDesign(l: LoadedDesign, python: PythonVersion): LoadedDesign {
  const { port } = l;
  const design = withPython(l.design, python);
  // A seed port is explored through its readings: each reading's design runs on it too.
  if (port === undefined) return { ...l, design };
  return {
    ...l,
    design,
    port: {
      ...port,
      design: (r) => withPython(port.design(r), python) as ReturnType<typeof port.design>,
    },
  };
}

type Planned = PlannedDesign & { file?: string };

/** Each loaded design with its expectation (seeds), profiles and runs per profile. Pure. */
function planDesigns(
  loaded: readonly LoadedDesign[],
  options: {
    readonly expectations: ReadonlyMap<string, Expectation>;
    readonly chosenProfiles: ExploreProfile[] | undefined;
    readonly runs: number | undefined;
  },
): Planned[] {
  return loaded.map((l): Planned => {
    const expectation = l.role === 'seed' ? options.expectations.get(l.design.name) : undefined;
    return {
      design: l.design,
      ref: l.ref,
      role: l.role,
      ...(expectation === undefined ? {} : { expectation }),
      ...(l.file === undefined ? {} : { file: l.file }),
      profiles: options.chosenProfiles ?? defaultProfiles(l.role, expectation),
      runs:
        options.runs ?? (l.design.kind === 'python' ? defaultPythonCheckRuns : defaultRunsPerProfile[l.role]),
      ...(l.port === undefined ? {} : { port: l.port }),
    };
  });
}

/** Throws a FixtureError when `p`'s expectation names a reading its port does not have. */
function checkReadingsNamed(p: Planned): void {
  for (const e of [...(p.expectation?.expected ?? []), ...(p.expectation?.holds ?? [])]) {
    const bad = unknownOption(p.port?.readings ?? [], e.readings ?? []);
    if (bad !== null) {
      throw new FixtureError(
        `fixtures/expectations/${p.design.name}.json: ${e.property} names reading "${bad}", which the port does not have; fix the fixture file`,
      );
    }
  }
}

/** The text report's head: the seed, each design's runs and profiles, what each profile does. */
function printPlan(plan: readonly Planned[], seed: number, drawn: boolean, verbose: boolean, io: Io): void {
  if (!drawn) io.out(`ws-lifecycle check: seed ${seed}\n`);
  for (const p of plan) {
    const count = p.port === undefined ? 0 : readingsToRun(p.port.readings).length;
    const more =
      count <= 1
        ? ''
        : ` (default reading; ${otherReadingRuns(p.runs, count)} for each of ${count - 1} more)`;
    io.out(
      `${fitLines(`  ${p.design.name}: ${p.runs} runs x ${p.profiles.join(', ')}${more}`, io.columns ?? 80)}\n`,
    );
  }
  io.out(verbose ? 'profiles:\n' : 'profiles (faults per run; --verbose lists every knob):\n');
  for (const p of [...new Set(plan.flatMap((x) => x.profiles))])
    io.out(`${fitLines(knobsLine(p, verbose), io.columns ?? 80)}\n`);
  io.out('\n');
}

/** Saves every counterexample of `results` under `outDir`, in order; returns how many. */
async function saveCounterexamples(
  outDir: string,
  results: readonly DesignResult[],
  plan: readonly Planned[],
  python: PythonVersion | undefined,
): Promise<number> {
  let saved = 0;
  for (const r of results) {
    const file = plan.find((p) => p.ref === r.ref)?.file;
    const module = file === undefined ? undefined : corpusModulePath(outDir, file);
    for (const prop of r.properties) {
      if (prop.counterexample === undefined) continue;
      await saveCounterexample(outDir, toCorpusEntry(r.name, prop.counterexample, module, python));
      saved += 1;
    }
  }
  return saved;
}

/** Loads each design in order (the first bad one throws). */
async function loadDesigns(specs: readonly string[], cwd: string): Promise<LoadedDesign[]> {
  const loaded: LoadedDesign[] = [];
  for (const spec of specs) loaded.push(await loadDesign(spec, cwd));
  return loaded;
}

/** The outcomes of the jobs `mine` that finished, each with its job index. Pure. */
function outcomesOf(
  mine: readonly number[],
  outcomes: readonly (JobOutcome | undefined)[],
): ShardReport['outcomes'] {
  return mine.flatMap((job) => {
    const outcome = outcomes[job];
    return outcome === undefined ? [] : [{ job, outcome }];
  });
}

/** What `check`'s flags ask for, every output place checked and every design loaded and planned. */
async function prepareCheck(args: readonly string[], io: Io) {
  const { values } = parseFlags(checkFlags, args);
  const runs = values.runs === undefined ? undefined : intFlag('runs', values.runs, { min: 1, max: maxRuns });
  const { seed, drawn } = seedFlag(values.seed, () => randomInt(seedBounds.min, seedBounds.max));
  const chosenProfiles = values.profile === undefined ? undefined : profilesFlag(values.profile);
  const reports = reportFlag(values.report ?? []);
  const json = values.json === true;
  const progress = progressFlag(values.progress);
  const isolation = isolationFlags(values);
  // Every output place is checked before minutes of exploration, not after.
  const outDir = values.out === undefined ? undefined : await checkOutDir('--out', values.out, io.cwd);
  const folders = values.out === undefined ? [] : [{ flag: '--out', path: values.out }];
  const reportTargets = await checkReportTargets(reports, { json, folders }, io.cwd);
  const expectations = await loadExpectations(expectationsDir);
  // Load everything first: a bad design fails fast, before minutes of exploration.
  const loaded = await loadDesigns(values.design ?? [...bundledDesigns], io.cwd);
  // --python 3.12: every design's wait_for is Python 3.12's (src/sim/python.ts).
  const python = values.python === undefined ? undefined : pythonFlag(values.python);
  const plan = planDesigns(python === undefined ? loaded : loaded.map((l) => withPythonDesign(l, python)), {
    expectations,
    chosenProfiles,
    runs,
  });
  for (const p of plan) checkReadingsNamed(p);
  return { values, seed, drawn, json, progress, isolation, outDir, reportTargets, python, plan };
}

/**
 * Runs `check` with its arguments (after the command word). Writes the report to `io`.
 *
 * @returns 0 when every design matches its expectation, 1 otherwise.
 * @throws UsageError, DesignLoadError, FixtureError for bad input (the caller exits 2).
 */
export async function checkCommand(args: readonly string[], io: Io): Promise<number> {
  const started = performance.now();
  const { values, seed, drawn, json, progress, isolation, outDir, reportTargets, python, plan } =
    await prepareCheck(args, io);
  // The seed drawn by --seed random is printed even with --json (on stderr there).
  const say = json ? io.err : io.out;
  if (drawn) say(`ws-lifecycle check: seed ${seed} (drawn at random; pass --seed ${seed} to repeat)\n`);
  if (!json) printPlan(plan, seed, drawn, values.verbose === true, io);

  // Every design x reading x profile is one job, each explored in its own worker; outcomes
  // come back in job order, so the report is the same for any --workers.
  const entries = plan.map(planEntry);
  const settings = {
    seed,
    cwd: io.cwd,
    coverageMinRuns,
    ...(python === undefined ? {} : { python }),
  };
  const allJobs = planJobs(entries, settings);
  const mine =
    isolation.shard === null
      ? allJobs.map((_, i) => i)
      : shardJobs(allJobs.length, isolation.shard.index, isolation.shard.count);
  const { outcomes, stopped } = await runPool(allJobs, mine, isolation, io, progress);
  if (isolation.shard !== null && json) {
    io.out(
      shardJson({
        format: shardFormat,
        shard: isolation.shard,
        settings: { seed, coverageMinRuns, ...(python === undefined ? {} : { python }) },
        plan: entries,
        jobs: allJobs.length,
        outcomes: outcomesOf(mine, outcomes),
      }),
    );
    if (stopped === 'SIGINT' || stopped === 'SIGTERM') return stopSignals[stopped];
    return stopped === null ? exitCodes.pass : exitCodes.fail;
  }
  const { results, readings: readingResults, runaways, errors } = judgePlan(entries, outcomes, settings);

  const paint = paintFor(io);
  const header = { seed, timing: values.timing === true, ...(python === undefined ? {} : { python }) };
  const output = checkOutput(results, readingResults, header, paint, io);
  io.out(json ? output.jsonText : output.text);
  await writeCheckReports(reportTargets, results, readingResults, header, output, io);
  if (outDir !== undefined) {
    const saved = await saveCounterexamples(outDir, results, plan, python);
    io.err(`saved ${saved} counterexample(s) under ${values.out}\n`);
  }
  // Runaways, errors and unfinished explorations: on stderr under --json (stdout is the report).
  const unfinished = mine
    .filter((job) => outcomes[job] === undefined)
    .map((job) => allJobs[job] as ExploreJob);
  (json ? io.err : io.out)(runawayLines(runaways, errors, unfinished, stopped, python));
  const notJudged = runaways.length + errors.length + unfinished.length;
  const summary = summaryLine(
    output.report,
    performance.now() - started,
    json ? undefined : paint,
    notJudged,
  );
  if (json) io.err(`${summary}\n`);
  else io.out(`\n${fitLines(summary, io.columns ?? 80)}\n`);
  if (stopped === 'SIGINT' || stopped === 'SIGTERM') return stopSignals[stopped];
  return verdictExit(output.report.summary.verdict, notJudged);
}
