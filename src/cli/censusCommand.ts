/**
 * `ws-lifecycle census [--design D] [--profile P,...] [--runs N] [--seed S] [--json]`: how
 * often each fault fired against its knob and each property precondition occurred in the
 * runs `check` generates, per profile.
 */
import { census, type ProfileCensus } from '../explore/census.ts';
import { renderCensus } from '../report/censusReport.ts';
import { exploreProfiles, type ExploreProfile } from '../explore/scenarioArb.ts';
import { parseFlags, type Command } from './command.ts';
import { intFlag, profileFlag } from './flags.ts';
import type { Io } from './io.ts';
import { loadDesign } from '../design/loadDesign.ts';
import { exitCodes } from './exitCodes.ts';
import { UsageError } from './usageError.ts';

const censusFlags = {
  design: {
    type: 'string',
    value: 'NAME|PATH',
    description: 'the design the runs drive',
    default: 'reference',
  },
  profile: {
    type: 'string',
    value: 'P[,P...]',
    description: 'profiles to take the census of',
    default: exploreProfiles.join(','),
  },
  runs: {
    type: 'string',
    value: 'N',
    description: 'generated runs per profile, 1..1000000',
    default: '1000',
  },
  seed: {
    type: 'string',
    value: 'S',
    description: 'fast-check seed (the runs check draws first)',
    default: '1',
  },
  json: { type: 'boolean', description: 'print the census as JSON' },
} as const;

/**
 * Runs `census`. Writes the tables (or JSON) to `io`.
 *
 * @returns 0; bad input throws UsageError or DesignLoadError (the caller exits 2).
 */
export async function censusCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseFlags(censusFlags, args);
  const runs = intFlag('runs', values.runs, { min: 1, max: 1_000_000 });
  const seed = intFlag('seed', values.seed, { min: 0, max: 2 ** 31 - 1 });
  const profiles: ExploreProfile[] = values.profile.split(',').map(profileFlag);
  const { design } = await loadDesign(values.design, io.cwd);
  if (design.kind === 'python') {
    throw new UsageError(
      `census counts the simulation's own fault draws; ${values.design} is a Python design, whose runner draws them: use check`,
    );
  }
  const results: ProfileCensus[] = [];
  for (const profile of profiles) {
    if (io.errIsTTY) io.err(`census ${design.name}: ${profile}, ${runs} runs...\n`);
    results.push(await census(design, { profile, runs, seed }));
  }
  io.out(
    values.json
      ? `${JSON.stringify({ design: design.name, seed, profiles: results }, null, 2)}\n`
      : renderCensus(results),
  );
  return exitCodes.pass;
}

/** The `census` command. */
export const censusCmd: Command = {
  name: 'census',
  description: [
    'Generates the runs check would, drives a design with them, and counts per profile how',
    'often each fault fired against the fires its knob made due (fired / due and their ratio),',
    'and in how many runs each property precondition occurred. A knob is proved by this count,',
    'not by its place in a profile.',
  ].join('\n'),
  flags: censusFlags,
  examples: [
    ['ws-lifecycle census', 'every profile, 1000 runs each, on the reference'],
    ['ws-lifecycle census --profile hostile --runs 5000 --json', 'one profile, as JSON'],
  ],
  run: censusCommand,
};
