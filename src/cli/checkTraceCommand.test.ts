import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explore } from '../check/explore.ts';
import { properties } from '../check/properties/index.ts';
import type { PropertyId } from '../check/propertyTypes.ts';
import type { Io } from './io.ts';
import { loadDesign } from './loadDesign.ts';
import { main } from './main.ts';

function memoryIo(cwd: string): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    out: (t) => void stdout.push(t),
    err: (t) => void stderr.push(t),
    errIsTTY: false,
    cwd,
    stdout,
    stderr,
  };
}

// A lan scenario on which the naive design sends after the cleanup's close: found by
// exploring, so the test does not depend on how scenarios are generated.
let replayArgs: string[] = [];
let found: PropertyId = 'P13';

beforeAll(async () => {
  const { design } = await loadDesign('naive', process.cwd());
  const report = await explore(design, { runs: 200, seed: 1, profile: 'lan' });
  const cx = ['P13', 'P2']
    .map((id) => report.properties.find((p) => p.id === id)?.counterexample)
    .find(Boolean);
  if (cx === undefined) throw new Error('naive showed neither P13 nor P2 in 200 lan runs');
  found = cx.property;
  replayArgs = ['--seed', String(cx.seed), '--path', cx.path, '--profile', 'lan'];
});

function column(id: PropertyId): number {
  return properties.findIndex((p) => p.id === id) + 1;
}

function row(output: string, file: string): string {
  return output.split('\n').find((line) => line.startsWith(file)) ?? '';
}

describe('check-trace on traces written by replay --trace-out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'check-trace-'));

  it('finds the naive design violations in its simulated trace (exit 1)', async () => {
    const io = memoryIo(dir);
    await main(['replay', '--design', 'naive', ...replayArgs, '--trace-out', 'naive.jsonl'], io);
    const check = memoryIo(dir);
    expect(await main(['check-trace', 'naive.jsonl'], check)).toBe(1);
    const out = check.stdout.join('');
    const cells = row(out, 'naive.jsonl').split(/\s+/);
    // The property the exploration found, in its column after the file name.
    expect(cells[column(found)]).toBe('X');
    expect(out).toContain(`naive.jsonl  ${found} `);
  });

  it('holds on the reference design run on the same scenario (exit 0)', async () => {
    await main(['replay', '--design', 'reference', ...replayArgs, '--trace-out', 'ref.jsonl'], memoryIo(dir));
    const check = memoryIo(dir);
    expect(await main(['check-trace', 'ref.jsonl'], check)).toBe(0);
    const cells = row(check.stdout.join(''), 'ref.jsonl').split(/\s+/).slice(1);
    expect(cells.length).toBe(properties.length);
    expect(cells.filter((c) => c.startsWith('X'))).toEqual([]);
  });

  it('a malformed line is exit 2 with file:line on stderr', async () => {
    const lines = readFileSync(join(dir, 'ref.jsonl'), 'utf8').split('\n');
    lines[3] = '{"i":2,"t":0,"conn":"c1","actor":"browser","action":"x"}';
    writeFileSync(join(dir, 'bad.jsonl'), lines.join('\n'));
    const check = memoryIo(dir);
    expect(await main(['check-trace', 'bad.jsonl'], check)).toBe(2);
    expect(check.stderr.join('')).toMatch(/^ws-lifecycle: bad\.jsonl:4: bad entry \(actor: /);
  });

  it('a file without a header is exit 2 naming line 1', async () => {
    writeFileSync(
      join(dir, 'headless.jsonl'),
      '{"i":0,"t":0,"conn":null,"actor":"harness","action":"settled"}\n',
    );
    const check = memoryIo(dir);
    expect(await main(['check-trace', 'headless.jsonl'], check)).toBe(2);
    expect(check.stderr.join('')).toContain('headless.jsonl:1: not a trace header');
  });
});
