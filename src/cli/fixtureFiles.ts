/**
 * Reading and writing the fixture files the checks use: expectations
 * (fixtures/expectations/*.json) and the counterexample corpus
 * (fixtures/counterexamples/<design>/*.json). The parsing and validation are pure and live
 * in src/explore and src/judge; this is the file I/O around them.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { corpusFileName, parseCorpusEntry, type CorpusEntry } from '../explore/corpus.ts';
import { FixtureError } from '../design/errors.ts';
import { parseExpectation, type Expectation } from '../judge/expectations.ts';
import { maxJsonDepth, tooDeepLine } from '../trace/jsonDepth.ts';
import { writeFileAtomic } from './atomicWrite.ts';
import { isBundledDesignName } from '../design/loadDesign.ts';
import { readInputFile } from './readInputFile.ts';

/** Largest corpus or expectation file read, in bytes: a saved entry is a few KB. */
export const maxFixtureBytes = 16 * 1024 * 1024;

/**
 * Parses the text of a fixture file as JSON, refusing a value nested deeper than
 * `maxJsonDepth` (the schema's walk would overflow the stack) before parsing it. Pure.
 *
 * @throws FixtureError `file:line: nested deeper than N levels` or `file: not valid JSON`.
 */
function parseJsonText(text: string, file: string, fix: string): unknown {
  const deep = tooDeepLine(text);
  if (deep !== undefined) {
    throw new FixtureError(`${file}:${deep}: nested deeper than ${maxJsonDepth} levels; ${fix}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FixtureError(`${file}: not valid JSON (${(e as Error).message}); ${fix}`);
  }
}

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
    out.push({ file, json: parseJsonText(await readFile(file, 'utf8'), file, fix) });
  }
  return out;
}

/**
 * Loads and validates every expectation file in `dir`, keyed by design name. Each must name
 * a bundled design, and no design may have two files. Reads files.
 *
 * @throws FixtureError on unreadable JSON, a malformed file, an unknown or repeated design.
 * @example
 * (await loadExpectations('fixtures/expectations')).get('seed-003')?.expected.length;
 */
export async function loadExpectations(dir: string): Promise<Map<string, Expectation>> {
  const out = new Map<string, Expectation>();
  const fileOf = new Map<string, string>();
  for (const { file, json } of await readJsonFiles(dir, 'fix the fixture file')) {
    const expectation = parseExpectation(json, file);
    const { design } = expectation;
    if (!isBundledDesignName(design)) {
      throw new FixtureError(
        `${file}: design: no bundled design named "${design}"; name a module of fixtures/designs`,
      );
    }
    const earlier = fileOf.get(design);
    if (earlier !== undefined) {
      throw new FixtureError(
        `${file}: design: "${design}" already has ${earlier}; keep one of the two files`,
      );
    }
    fileOf.set(design, file);
    out.set(design, expectation);
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
 * Reads one saved counterexample, `file` as the user named it (resolved against `cwd`): a
 * regular file of at most `maxFixtureBytes`, JSON nested at most `maxJsonDepth` deep, a valid
 * corpus entry. Reads the file.
 *
 * @returns the entry and the corpus folder it belongs to (the folder above its design's
 *   folder, which its `module` is relative to).
 * @throws FixtureError `FILE: what is wrong`, one line.
 * @example
 * const { entry, dir } = await readCorpusFile('fixtures/counterexamples/naive/P11-9633b08446.json', cwd);
 */
export async function readCorpusFile(
  file: string,
  cwd: string,
): Promise<{ entry: CorpusEntry; dir: string }> {
  const fix = 'pass a file that check --out saved';
  const read = await readInputFile(file, cwd, maxFixtureBytes);
  if (!read.ok) throw new FixtureError(`${file}: ${read.why}; ${fix}`);
  const entry = parseCorpusEntry(parseJsonText(read.text, file, fix), file);
  return { entry, dir: dirname(dirname(resolve(cwd, file))) };
}

/**
 * The `--design` value that loads an entry's design: its module (relative to the corpus
 * folder `dir`) when it has one, else its name. Pure.
 *
 * @example
 * corpusDesignSpec('fixtures/counterexamples', { ...entry, module: '../designs/x.ts' }); // '<abs>/fixtures/designs/x.ts'
 */
export function corpusDesignSpec(dir: string, entry: Pick<CorpusEntry, 'design' | 'module'>): string {
  return entry.module === undefined ? entry.design : resolve(dir, entry.module);
}

/**
 * The `module` field for a design module at `file` saved into the corpus folder `dir`:
 * relative, with forward slashes, so the corpus moves with its checkout. Pure.
 *
 * @example
 * corpusModulePath('/repo/fixtures/counterexamples', '/repo/my-design.ts'); // '../../my-design.ts'
 */
export function corpusModulePath(dir: string, file: string): string {
  const rel = relative(resolve(dir), resolve(file));
  return isAbsolute(rel) ? rel : rel.split(sep).join('/');
}

/**
 * Writes an entry under `dir/<design>/` (atomically: a reader never sees half a file);
 * returns the file path. Writes a file.
 *
 * @example
 * await saveCounterexample('fixtures/counterexamples', toCorpusEntry('naive', cx));
 */
export async function saveCounterexample(dir: string, entry: CorpusEntry): Promise<string> {
  // A design given as a path is saved under its name; the entry records the path.
  const folder = join(dir, entry.design.replace(/[^A-Za-z0-9_.-]/g, '_'));
  const file = join(folder, corpusFileName(entry));
  await writeFileAtomic(file, `${JSON.stringify(entry, null, 2)}\n`);
  return file;
}
