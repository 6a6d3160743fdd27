/**
 * The counterexample corpus: every counterexample found is saved as
 * `<dir>/<design>/<property>-<hash>.json` and replayed by the tests forever after. The entry
 * and its validation, pure; reading and writing the files is src/cli/fixtureFiles.ts.
 */
import { createHash } from 'node:crypto';
import { pythonVersions } from '../sim/python.ts';
import type { PythonVersion, Scenario } from '../sim/types.ts';
import type { Counterexample } from './explore.ts';
import type { PropertyId } from '../properties/propertyTypes.ts';
import { corpusEntrySchema, parseFixture } from './fixtureSchemas.ts';
import type { ExploreProfile } from './scenarioArb.ts';

/** One saved counterexample. `steps` is the timeline length when it was found. */
export interface CorpusEntry {
  readonly design: string;
  /**
   * For a design given by the path of its module: that path relative to the corpus folder,
   * with forward slashes, so that replaying the corpus finds the module again.
   */
  readonly module?: string;
  readonly property: PropertyId;
  readonly profile: ExploreProfile;
  /**
   * The Python version the design ran on when the counterexample was found (`check
   * --python`); absent: the default, 3.11. A replay runs on it, or it may not fail again.
   */
  readonly python?: PythonVersion;
  readonly seed: number;
  readonly path: string;
  readonly message: string;
  readonly steps: number;
  readonly scenario: Scenario;
}

/**
 * The corpus entry of a counterexample of `design` (`module`, `python`: see CorpusEntry; the
 * default version is left out, so `--python 3.11` and no flag save the same entry). Pure.
 */
export function toCorpusEntry(
  design: string,
  cx: Counterexample,
  module?: string,
  python?: PythonVersion,
): CorpusEntry {
  return {
    design,
    ...(module === undefined ? {} : { module }),
    property: cx.property,
    profile: cx.profile,
    ...(python === undefined || python === pythonVersions[0] ? {} : { python }),
    seed: cx.seed,
    path: cx.path,
    message: cx.message,
    steps: cx.timeline.length,
    scenario: cx.scenario,
  };
}

/**
 * File name of an entry, `<property>-<first 10 hex of sha256(scenario)>.json` (the Python
 * version joins the hashed text when it is not the default): the same counterexample found
 * twice is saved once, and one found on 3.11 and on 3.12 twice. Pure.
 *
 * @example
 * corpusFileName(entry); // 'P8-3f2a9c01be.json'
 */
export function corpusFileName(entry: CorpusEntry): string {
  const text = JSON.stringify(entry.scenario) + (entry.python === undefined ? '' : ` python ${entry.python}`);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 10);
  return `${entry.property}-${hash}.json`;
}

/** Validates parsed JSON as a corpus entry (schema: fixtureSchemas.ts). Pure. @throws FixtureError */
export function parseCorpusEntry(json: unknown, file: string): CorpusEntry {
  const e = parseFixture(corpusEntrySchema, json, file, 'fix or delete the corpus file');
  const { module, python, ...rest } = e;
  return {
    ...rest,
    ...(module === undefined ? {} : { module }),
    ...(python === undefined ? {} : { python }),
  };
}
