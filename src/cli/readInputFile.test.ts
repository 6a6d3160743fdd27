/**
 * Inputs that would hang or crash a reader: a FIFO (reading waits for a writer forever), a
 * trace line nested 20,000 levels deep (the stack of the schema's walk overflows).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maxJsonDepth } from '../trace/jsonDepth.ts';
import { readInputFile } from './readInputFile.ts';
import { runInProcess } from './runInProcess.ts';

describe('input files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inputs-'));

  it('check-trace refuses a FIFO at once: one line, exit 2', async () => {
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const r = await runInProcess(['check-trace', 'pipe'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'ws-lifecycle: cannot read trace file pipe: a FIFO (named pipe), not a regular file; save the input to a file first\n',
    );
  }, 5000);

  it('refuses a file over the byte limit without reading it', async () => {
    writeFileSync(join(dir, 'big.jsonl'), 'x'.repeat(2048));
    expect(await readInputFile('big.jsonl', dir, 1024)).toEqual({
      ok: false,
      why: '1 MB, over the 0 MB an input file may have; split it',
    });
    expect(await readInputFile('big.jsonl', dir, 4096)).toEqual({ ok: true, text: 'x'.repeat(2048) });
  });

  it(`check-trace refuses a line nested deeper than ${maxJsonDepth}: file:line, exit 2`, async () => {
    // A real header: the one replay --trace-out writes.
    await runInProcess(
      ['replay', '--design', 'naive', '--seed', '1', '--path', '0', '--trace-out', 'ok.jsonl'],
      { cwd: dir },
    );
    const headerLine = readFileSync(join(dir, 'ok.jsonl'), 'utf8').split('\n')[0] ?? '';
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const entry = `{"i":0,"t":0,"conn":"c1","actor":"workload","action":"open","detail":{"userId":"u1","deep":${deep}}}`;
    writeFileSync(join(dir, 'deep.jsonl'), `${headerLine}\n${entry}\n`);
    const r = await runInProcess(['check-trace', 'deep.jsonl'], { cwd: dir });
    expect(r.stderr).toMatch(
      new RegExp(`^ws-lifecycle: deep\\.jsonl:2: nested deeper than ${maxJsonDepth} levels`),
    );
    expect(r.code).toBe(2);
  });
});
