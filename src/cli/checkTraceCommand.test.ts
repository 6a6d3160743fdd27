import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../core/index.ts';
import { explore } from '../explore/explore.ts';
import { properties } from '../properties/index.ts';
import type { PropertyId } from '../properties/propertyTypes.ts';
import { TraceBuilder } from '../properties/traceBuilder.ts';
import { traceFileText } from '../trace/traceFile.ts';
import type { TraceHeader } from '../trace/traceFormat.ts';
import type { TraceRecord } from '../trace/types.ts';
import type { Io } from './io.ts';
import { loadDesign } from '../design/loadDesign.ts';
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

const realHeader: TraceHeader = {
  format: 'ws-lifecycle-trace',
  version: 1,
  source: 'real',
  recorder: 'test',
  design: { name: 'reference', kind: 'reducer' },
  profile: null,
};

/** Five upgrades that never reached the app: every applicable property is `nc`. */
function failedUpgrades(): TraceRecord[] {
  const b = new TraceBuilder();
  for (let k = 1; k <= 5; k++) b.entry(`c${k}`, 'workload', 'open', { detail: { remote: '127.0.0.1' } });
  return [...b.run().trace];
}

/** Two connections, each sent one event: several properties exercised, some not. */
function twoEmits(): TraceRecord[] {
  const b = new TraceBuilder();
  b.ready('c1', 'u1');
  b.ready('c2', 'u2');
  b.emit('c1', 'e1');
  b.deliver('c1', 'e1', 1);
  b.outcome('c1', 'e1', { kind: 'delivered', seq: 1 });
  b.emit('c2', 'e2');
  b.deliver('c2', 'e2', 1);
  b.outcome('c2', 'e2', { kind: 'delivered', seq: 1 });
  return [...b.run().trace];
}

describe('check-trace: a trace that proved nothing, validation, --json and --report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'check-trace-rules-'));
  const write = (name: string, trace: readonly object[]): string => {
    const entries = trace.map((e, i) => ({ ...e, i }) as TraceRecord);
    writeFileSync(join(dir, name), traceFileText(realHeader, entries));
    return name;
  };

  it('exits 1 on a trace where no applicable property saw its precondition, naming each with its precondition', async () => {
    const file = write('upgrades.jsonl', failedUpgrades());
    const io = memoryIo(dir);
    expect(await main(['check-trace', file], io)).toBe(1);
    const line = io.stdout
      .join('')
      .split('\n')
      .find((l) => l.includes('NOTHING EXERCISED'));
    expect(line).toContain('P1 no-send-before-accept (a connection reaching the app');
    expect(line).toContain('P13 no-transport-error (a socket call by the app)');
    expect(line).toMatch(/nothing was proved: this fails the trace \(--allow-unexercised accepts it\)$/);
  });

  it('exits 0 on it with --allow-unexercised, and says it was accepted', async () => {
    const io = memoryIo(dir);
    expect(await main(['check-trace', 'upgrades.jsonl', '--allow-unexercised'], io)).toBe(0);
    expect(io.stdout.join('')).toMatch(/NOTHING EXERCISED: .*; accepted by --allow-unexercised\n/);
  });

  it('passes a trace where some properties were exercised, listing the ones that were not', async () => {
    const file = write('emits.jsonl', twoEmits());
    const io = memoryIo(dir);
    expect(await main(['check-trace', file], io)).toBe(0);
    const out = io.stdout.join('');
    expect(out).not.toContain('NOTHING EXERCISED');
    expect(out).toMatch(/never exercised: P11 valid-close, the trace never had a close attempted by the app/);
  });

  it.each([
    [
      'an emit without detail',
      (e: TraceRecord) => ({ ...e, detail: undefined }),
      /bad workload\/emit entry \(detail: /,
    ],
    [
      'a numeric eventId',
      (e: TraceRecord) => ({ ...e, detail: { ...e.detail, eventId: 7 } }),
      /bad workload\/emit entry \(detail\.eventId: /,
    ],
    [
      "another connection's event id",
      (e: TraceRecord) => ({ ...e, detail: { ...e.detail, eventId: 'e1' } }),
      /event id "e1" is used again: line \d+ has the workload\/emit of it on c1/,
    ],
  ])('exits 2 with file:line on %s', async (_what, mangle, reason) => {
    const trace = twoEmits();
    const at = trace.findIndex((e) => e.action === 'emit' && e.conn === 'c2');
    const file = write(
      'bad-emit.jsonl',
      trace.map((e, k) => (k === at ? mangle(e) : e)),
    );
    const io = memoryIo(dir);
    expect(await main(['check-trace', file], io)).toBe(2);
    const err = io.stderr.join('');
    expect(err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(err).toMatch(new RegExp(`^ws-lifecycle: bad-emit\\.jsonl:${at + 2}: ${reason.source}`));
    expect(io.stdout.join('')).toBe('');
  });

  it('exits 2 with file:line on an outcome before its emit', async () => {
    const trace = twoEmits();
    const emit = trace.findIndex((e) => e.action === 'emit' && e.conn === 'c2');
    const outcome = trace.findIndex((e) => e.action === 'outcome' && e.conn === 'c2');
    const moved = [
      ...trace.slice(0, emit),
      trace[outcome] as TraceRecord,
      ...trace.slice(emit).filter((_, k) => k !== outcome - emit),
    ];
    const io = memoryIo(dir);
    expect(await main(['check-trace', write('early.jsonl', moved)], io)).toBe(2);
    expect(io.stderr.join('')).toBe(
      `ws-lifecycle: early.jsonl:${emit + 2}: design/outcome on c2 names event "e2", which was not emitted on c2 before it: no earlier workload/emit names it\n`,
    );
  });

  it("--json prints the report in check's shape: designs of { name, properties: [{ id, status, runs }] }", async () => {
    const io = memoryIo(dir);
    expect(await main(['check-trace', 'emits.jsonl', 'upgrades.jsonl', '--json'], io)).toBe(1);
    const report = JSON.parse(io.stdout.join('')) as {
      designs: {
        name: string;
        matches: boolean;
        unexercisedFails: boolean;
        properties: { id: string; status: string; runs: number }[];
      }[];
      summary: { verdict: string; mismatches: number };
    };
    expect(report.designs.map((d) => [d.name, d.matches, d.unexercisedFails])).toEqual([
      ['emits.jsonl', true, false],
      ['upgrades.jsonl', false, true],
    ]);
    expect(report.designs[0]?.properties.map((p) => p.id)).toEqual(properties.map((p) => p.id));
    expect(report.designs[0]?.properties.find((p) => p.id === 'P7')).toMatchObject({
      status: 'held',
      runs: 1,
    });
    expect(report.summary).toMatchObject({ verdict: 'fail', mismatches: 1 });
  });

  it('judges the events a real app held (P9) only against a declared capacity', async () => {
    const p9 = async (header: TraceHeader, name: string): Promise<{ status: string; message?: string }> => {
      const entries = twoEmits().map((e, i) => ({ ...e, i }) as TraceRecord);
      writeFileSync(join(dir, name), traceFileText(header, entries));
      const io = memoryIo(dir);
      await main(['check-trace', name, '--json'], io);
      const report = JSON.parse(io.stdout.join('')) as {
        designs: { properties: { id: string; status: string; message?: string }[] }[];
      };
      return report.designs[0]?.properties.find((p) => p.id === 'P9') ?? { status: 'missing' };
    };
    const undeclared = await p9(realHeader, 'p9-undeclared.jsonl');
    expect(undeclared.status).toBe('not-applicable');
    expect(undeclared.message).toContain('no capacity declared');
    expect((await p9({ ...realHeader, config: defaultConfig }, 'p9-declared.jsonl')).status).toBe('held');
  });

  it('--report junit=FILE fails the no-cov cells of a trace that proved nothing, skips them once accepted', async () => {
    const junit = (xml: string, id: PropertyId): string | undefined =>
      new RegExp(`name="${id} [a-z-]+" time="[\\d.]+">\\n\\s+<(\\w+)`).exec(xml)?.[1];
    await main(
      ['check-trace', 'upgrades.jsonl', 'emits.jsonl', '--report', 'junit=j.xml', '--report', 'json=r.json'],
      memoryIo(dir),
    );
    const xml = readFileSync(join(dir, 'j.xml'), 'utf8');
    const [upgrades, emits] = xml.split('<testsuite ').slice(1);
    expect(junit(upgrades ?? '', 'P1')).toBe('failure');
    expect(junit(emits ?? '', 'P11')).toBe('skipped');
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).designs).toHaveLength(2);
    await main(
      ['check-trace', 'upgrades.jsonl', '--allow-unexercised', '--report', 'junit=j.xml'],
      memoryIo(dir),
    );
    const accepted = readFileSync(join(dir, 'j.xml'), 'utf8');
    expect(junit(accepted, 'P1')).toBe('skipped');
    expect(accepted).not.toContain('<failure');
  });
});
