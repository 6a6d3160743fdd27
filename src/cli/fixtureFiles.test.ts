import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toCorpusEntry } from '../explore/corpus.ts';
import { loadCorpus, loadExpectations, saveCounterexample } from './fixtureFiles.ts';
import type { CorpusEntry } from '../explore/corpus.ts';
import { fileURLToPath } from 'node:url';

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));

describe('loadExpectations', () => {
  it('loads every bundled fixture, keyed by its design', async () => {
    const all = await loadExpectations(join(fixtures, 'expectations'));
    expect([...all.keys()].sort()).toEqual(['naive', 'seed-000', 'seed-001', 'seed-003', 'seed-004']);
    for (const [name, e] of all) expect(e.design).toBe(name);
  });

  it('fails with one FixtureError on unreadable JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsl-exp-'));
    await writeFile(join(dir, 'bad.json'), '{ nope');
    await expect(loadExpectations(dir)).rejects.toThrow(/bad\.json: not valid JSON .*; fix the fixture file/);
  });
});

describe('corpus files', () => {
  it('saves an entry under its design and loads it back unchanged', async () => {
    const [first] = await loadCorpus(join(fixtures, 'counterexamples'));
    if (first === undefined) throw new Error('the bundled corpus is empty');
    const dir = await mkdtemp(join(tmpdir(), 'wsl-corpus-'));
    const entry: CorpusEntry = { ...first.entry, design: './my design.ts' };
    const file = await saveCounterexample(dir, entry);
    expect(file.startsWith(join(dir, '._my_design.ts'))).toBe(true);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(entry);
    expect(await loadCorpus(dir)).toEqual([{ file, entry }]);
  });

  it('fails with one FixtureError on a corpus file that is not JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsl-corpus-'));
    await mkdir(join(dir, 'naive'));
    await writeFile(join(dir, 'naive', 'P1-x.json'), '[');
    await expect(loadCorpus(dir)).rejects.toThrow(
      /P1-x\.json: not valid JSON .*; fix or delete the corpus file/,
    );
  });
});

describe('fixture validation: one line naming the file and the field', () => {
  async function expectationsIn(files: Record<string, unknown>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'wsl-exp-'));
    for (const [name, json] of Object.entries(files)) await writeFile(join(dir, name), JSON.stringify(json));
    return dir;
  }
  const one = { property: 'P1', claim: 'x' };

  it('an expectation naming no bundled design', async () => {
    const dir = await expectationsIn({ 'naiv.json': { design: 'naiv', expected: [one] } });
    await expect(loadExpectations(dir)).rejects.toThrow(
      /naiv\.json: design: no bundled design named "naiv"; /,
    );
  });

  it('two expectation files for one design', async () => {
    const dir = await expectationsIn({
      'a.json': { design: 'naive', expected: [one] },
      'b.json': { design: 'naive', expected: [one] },
    });
    await expect(loadExpectations(dir)).rejects.toThrow(/b\.json: design: "naive" already has .*a\.json; /);
  });

  it('an unknown property id in an expectation', async () => {
    const dir = await expectationsIn({
      'naive.json': { design: 'naive', expected: [{ ...one, property: 'P99' }] },
    });
    await expect(loadExpectations(dir)).rejects.toThrow(
      /naive\.json: expected\[0\]\.property: unknown property id/,
    );
  });

  it('a corpus entry with an unknown command kind or property id', async () => {
    const [first] = await loadCorpus(join(fixtures, 'counterexamples'));
    if (first === undefined) throw new Error('the bundled corpus is empty');
    const dir = await mkdtemp(join(tmpdir(), 'wsl-corpus-'));
    await mkdir(join(dir, 'naive'));
    const commands = [...first.entry.scenario.commands, { atMs: 0, kind: 'teleport', conn: 'c1' }];
    const bad = { ...first.entry, scenario: { ...first.entry.scenario, commands } };
    await writeFile(join(dir, 'naive', 'P1-x.json'), JSON.stringify(bad));
    const k = commands.length - 1;
    await expect(loadCorpus(dir)).rejects.toThrow(
      new RegExp(
        `P1-x\\.json: scenario\\.commands\\[${k}\\]\\.kind: Invalid discriminator value.*; fix or delete`,
      ),
    );
    await writeFile(join(dir, 'naive', 'P1-x.json'), JSON.stringify({ ...first.entry, property: 'P0' }));
    await expect(loadCorpus(dir)).rejects.toThrow(/P1-x\.json: property: unknown property id/);
    await writeFile(join(dir, 'naive', 'P1-x.json'), JSON.stringify({ ...first.entry, python: '3.9' }));
    await expect(loadCorpus(dir)).rejects.toThrow(
      /P1-x\.json: python: unknown Python version; use one of 3\.11, 3\.12/,
    );
  });

  it('a corpus entry keeps the Python version it was found on, and it names its file', async () => {
    const [first] = await loadCorpus(join(fixtures, 'counterexamples'));
    if (first === undefined) throw new Error('the bundled corpus is empty');
    const dir = await mkdtemp(join(tmpdir(), 'wsl-corpus-'));
    const { python: _default, ...on311 } = first.entry;
    const on312 = { ...on311, python: '3.12' } as const;
    const files = [await saveCounterexample(dir, on311), await saveCounterexample(dir, on312)];
    // The same scenario found on both versions is two counterexamples, not one overwritten.
    expect(new Set(files).size).toBe(2);
    // Found again with an explicit --python 3.11 (the default), it is the same counterexample.
    const cx = { property: on311.property, profile: on311.profile, seed: on311.seed, path: on311.path };
    const again = toCorpusEntry(
      on311.design,
      // Only the fields toCorpusEntry reads.
      { ...cx, message: on311.message, scenario: on311.scenario, timeline: Array(on311.steps) } as never,
      undefined,
      '3.11',
    );
    expect(again).toEqual(on311);
    expect(await saveCounterexample(dir, again)).toBe(files[0]);
    const loaded = (await loadCorpus(dir)).map((c) => c.entry.python);
    expect(loaded.sort()).toEqual(['3.12', undefined]);
  });
});
