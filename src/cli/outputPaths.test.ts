/**
 * Output places are checked before a run: a folder given as a file, a file given as a
 * folder, a folder under a file. One line each, exit 2, nothing run.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutDir, checkOutFile } from './outputPaths.ts';
import { runInProcess } from './runInProcess.ts';

const dir = mkdtempSync(join(tmpdir(), 'out-paths-'));
mkdirSync(join(dir, 'folder'));
writeFileSync(join(dir, 'file.txt'), '');

describe('output paths', () => {
  it.each([
    ['folder', /^--trace-out folder: .*folder is a folder; pass a file path$/],
    ['new/', /^--trace-out new\/: names a folder; pass a file path/],
    ['file.txt/t.jsonl', /^--trace-out file\.txt\/t\.jsonl: .*file\.txt is a file, not a folder/],
  ])('a file flag refuses %s', async (path, message) => {
    await expect(checkOutFile('--trace-out', path, dir)).rejects.toThrow(message);
  });

  it('accepts a new file in a folder to be created, and an existing file', async () => {
    expect(await checkOutFile('--trace-out', 'a/b/t.jsonl', dir)).toBe(join(dir, 'a/b/t.jsonl'));
    expect(await checkOutFile('--trace-out', 'file.txt', dir)).toBe(join(dir, 'file.txt'));
  });

  it('a folder flag refuses a file', async () => {
    await expect(checkOutDir('--out', 'file.txt', dir)).rejects.toThrow(/is a file, not a folder/);
  });

  it.each([
    [['replay', '--design', 'naive', '--seed', '3', '--path', '0', '--trace-out', dir]],
    [['check', '--design', 'naive', '--runs', '5', '--out', join(dir, 'file.txt')]],
    [['check', '--design', 'naive', '--runs', '5', '--report', `junit=${dir}`]],
    [['check-trace', 'x.jsonl', '--report', `json=${join(dir, 'file.txt', 'r.json')}`]],
  ])('%j: one line, exit 2, before the run', async (args) => {
    const r = await runInProcess(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^ws-lifecycle: --(trace-out|out|report)/);
  });
});
