/**
 * `ws-lifecycle census [--design D] [--profile P,...] [--runs N] [--seed S] [--json]`: how
 * often each fault fired against its knob and each property precondition occurred in the
 * runs `check` generates, per profile.
 */
import { parseArgs } from 'node:util';
import { census, type ProfileCensus } from '../check/census.ts';
import { renderCensus } from '../check/censusReport.ts';
import { exploreProfiles, type ExploreProfile } from '../check/scenarioArb.ts';
import { intFlag, profileFlag } from './flags.ts';
import type { Io } from './io.ts';
import { loadDesign } from './loadDesign.ts';

/**
 * Runs `census`. Writes the tables (or JSON) to `io`.
 *
 * @returns 0; bad input throws UsageError or DesignLoadError (the caller exits 2).
 */
export async function censusCommand(args: readonly string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      design: { type: 'string', default: 'reference' },
      profile: { type: 'string', default: exploreProfiles.join(',') },
      runs: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const runs = intFlag('runs', values.runs, { min: 1, max: 1_000_000 });
  const seed = intFlag('seed', values.seed, { min: 0, max: 2 ** 31 - 1 });
  const profiles: ExploreProfile[] = values.profile.split(',').map(profileFlag);
  const { design } = await loadDesign(values.design, io.cwd);
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
  return 0;
}
