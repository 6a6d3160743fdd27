/**
 * The counterexample corpus: every counterexample found is saved as
 * `<dir>/<design>/<property>-<hash>.json` and replayed by the tests forever after. The entry
 * and its validation, pure; reading and writing the files is src/cli/fixtureFiles.ts.
 */
import { createHash } from 'node:crypto';
import type { Scenario } from '../sim/types.ts';
import { FixtureError } from './errors.ts';
import type { Counterexample } from './explore.ts';
import type { PropertyId } from './propertyTypes.ts';
import { exploreProfiles, type ExploreProfile } from './scenarioArb.ts';

/** One saved counterexample. `steps` is the timeline length when it was found. */
export interface CorpusEntry {
  readonly design: string;
  readonly property: PropertyId;
  readonly profile: ExploreProfile;
  readonly seed: number;
  readonly path: string;
  readonly message: string;
  readonly steps: number;
  readonly scenario: Scenario;
}

/** The corpus entry of a counterexample of `design`. Pure. */
export function toCorpusEntry(design: string, cx: Counterexample): CorpusEntry {
  return {
    design,
    property: cx.property,
    profile: cx.profile,
    seed: cx.seed,
    path: cx.path,
    message: cx.message,
    steps: cx.timeline.length,
    scenario: cx.scenario,
  };
}

/**
 * File name of an entry, `<property>-<first 10 hex of sha256(scenario)>.json`: the same
 * counterexample found twice is saved once. Pure.
 *
 * @example
 * corpusFileName(entry); // 'P8-3f2a9c01be.json'
 */
export function corpusFileName(entry: CorpusEntry): string {
  const hash = createHash('sha256').update(JSON.stringify(entry.scenario)).digest('hex').slice(0, 10);
  return `${entry.property}-${hash}.json`;
}

/** Validates parsed JSON as a corpus entry. Pure. @throws FixtureError */
export function parseCorpusEntry(json: unknown, file: string): CorpusEntry {
  const bad = (what: string): FixtureError =>
    new FixtureError(`${file}: ${what}; fix or delete the corpus file`);
  if (typeof json !== 'object' || json === null) throw bad('expected a JSON object');
  const e = json as Record<string, unknown>;
  if (typeof e['design'] !== 'string') throw bad('"design" must be a string');
  if (typeof e['property'] !== 'string' || !/^P([1-9]|1[0-5])$/.test(e['property']))
    throw bad('"property" must be P1..P15');
  if (!exploreProfiles.includes(e['profile'] as ExploreProfile))
    throw bad('"profile" is not a known profile');
  if (typeof e['seed'] !== 'number' || typeof e['path'] !== 'string')
    throw bad('"seed" and "path" are required');
  const s = e['scenario'] as Record<string, unknown> | undefined;
  if (typeof s !== 'object' || s === null || !Array.isArray(s['commands']) || !Array.isArray(s['choices'])) {
    throw bad('"scenario" must hold knobs, environment, commands and choices');
  }
  return json as CorpusEntry;
}
