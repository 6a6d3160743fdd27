/**
 * Reading and writing the fixture files the checks use: expectations
 * (fixtures/expectations/*.json) and the counterexample corpus
 * (fixtures/counterexamples/<design>/*.json). The parsing and validation are pure and live
 * in src/check; this is the file I/O around them.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { corpusFileName, parseCorpusEntry, type CorpusEntry } from '../check/corpus.ts';
import { FixtureError } from '../check/errors.ts';
import { parseExpectation, type Expectation } from '../check/expectations.ts';

/**
 * Every `*.json` directly in `dir`, sorted by name, parsed as JSON. An absent directory holds
 * none. Reads files.
 *
 * @param fix what to tell the reader to do about a file that is not valid JSON.
 * @throws FixtureError naming the file.
 */
async function readJsonFiles(dir: string, fix: string): Promise<{ file: string; json: unknown }[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const out: { file: string; json: unknown }[] = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      out.push({ file, json: JSON.parse(await readFile(file, 'utf8')) });
    } catch (e) {
      throw new FixtureError(`${file}: not valid JSON (${(e as Error).message}); ${fix}`);
    }
  }
  return out;
}

/**
 * Loads and validates every expectation file in `dir`, keyed by design name. Reads files.
 *
 * @throws FixtureError on unreadable JSON or a malformed file.
 * @example
 * (await loadExpectations('fixtures/expectations')).get('seed-003')?.expected.length;
 */
export async function loadExpectations(dir: string): Promise<Map<string, Expectation>> {
  const out = new Map<string, Expectation>();
  for (const { file, json } of await readJsonFiles(dir, 'fix the fixture file')) {
    const expectation = parseExpectation(json, file);
    out.set(expectation.design, expectation);
  }
  return out;
}

/**
 * Every corpus entry under `dir` (all designs), sorted by file path. Reads files; an absent
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
    for (const { file, json } of await readJsonFiles(join(dir, design), 'fix or delete the corpus file')) {
      out.push({ file, entry: parseCorpusEntry(json, file) });
    }
  }
  return out;
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
