/**
 * The counterexample corpus: every counterexample found is saved as
 * `<dir>/<design>/<property>-<hash>.json` and replayed by the tests forever after.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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

/**
 * Writes an entry under `dir/<design>/`; returns the file path. Writes a file.
 *
 * @example
 * await saveCounterexample('fixtures/counterexamples', toCorpusEntry('naive', cx));
 */
export async function saveCounterexample(dir: string, entry: CorpusEntry): Promise<string> {
  // A design given as a path is saved under its name, never under the path.
  const folder = join(dir, entry.design.replace(/[^A-Za-z0-9_.-]/g, '_'));
  await mkdir(folder, { recursive: true });
  const file = join(folder, corpusFileName(entry));
  await writeFile(file, `${JSON.stringify(entry, null, 2)}\n`);
  return file;
}

/** Validates parsed JSON as a corpus entry. Pure. @throws FixtureError */
export function parseCorpusEntry(json: unknown, file: string): CorpusEntry {
  const bad = (what: string): FixtureError =>
    new FixtureError(`${file}: ${what}; fix or delete the corpus file`);
  if (typeof json !== 'object' || json === null) throw bad('expected a JSON object');
  const e = json as Record<string, unknown>;
  if (typeof e['design'] !== 'string') throw bad('"design" must be a string');
  if (typeof e['property'] !== 'string' || !/^P([1-9]|1[0-4])$/.test(e['property']))
    throw bad('"property" must be P1..P14');
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

/**
 * Every entry under `dir` (all designs), sorted by file path. Reads files; an absent
 * directory is an empty corpus.
 *
 * @example
 * for (const { file, entry } of await loadCorpus('fixtures/counterexamples')) console.log(file, entry.property);
 */
export async function loadCorpus(dir: string): Promise<{ file: string; entry: CorpusEntry }[]> {
  let designs: string[];
  try {
    designs = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
  const out: { file: string; entry: CorpusEntry }[] = [];
  for (const design of designs.sort()) {
    const files = (await readdir(join(dir, design))).filter((n) => n.endsWith('.json')).sort();
    for (const name of files) {
      const file = join(dir, design, name);
      let json: unknown;
      try {
        json = JSON.parse(await readFile(file, 'utf8'));
      } catch (e) {
        throw new FixtureError(
          `${file}: not valid JSON (${(e as Error).message}); fix or delete the corpus file`,
        );
      }
      out.push({ file, entry: parseCorpusEntry(json, file) });
    }
  }
  return out;
}
