/**
 * Checks, before a run starts, that the places the run will write to can be written: a run
 * of minutes must not end in a write error that hides its verdict.
 */
import { randomBytes } from 'node:crypto';
import { rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { UsageError } from './usageError.ts';

/** The nearest existing ancestor of `path` (itself included). Reads the file system. */
async function nearestExisting(path: string): Promise<{ path: string; isDirectory: boolean }> {
  let p = path;
  for (;;) {
    try {
      const s = await stat(p);
      return { path: p, isDirectory: s.isDirectory() };
    } catch {
      const up = dirname(p);
      if (up === p) return { path: p, isDirectory: true };
      p = up;
    }
  }
}

/**
 * Whether a file can be created in `dir`: a probe file is written and removed (access(2)
 * would say yes to root on a read-only file system). Writes and removes one file.
 */
async function writable(dir: string): Promise<boolean> {
  const probe = join(dir, `.ws-lifecycle-probe-${randomBytes(6).toString('hex')}`);
  try {
    await writeFile(probe, '');
    await rm(probe, { force: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks that the folder `full` is (or can be created as) a writable folder; messages name
 * the flag and the value as given (`shown`) and end with `fix`. Writes and removes a probe file.
 */
async function checkFolder(flag: string, shown: string, full: string, fix: string): Promise<void> {
  const found = await nearestExisting(full);
  if (!found.isDirectory) {
    throw new UsageError(`${flag} ${shown}: ${found.path} is a file, not a folder; ${fix}`);
  }
  if (!(await writable(found.path))) {
    throw new UsageError(`${flag} ${shown}: ${found.path} is not writable; ${fix}`);
  }
}

/**
 * Resolves `--out DIR` against `cwd` and checks that DIR is (or can be created as) a
 * writable folder. Writes and removes a probe file.
 *
 * @throws UsageError naming the flag and the path.
 */
export async function checkOutDir(flag: string, dir: string, cwd: string): Promise<string> {
  const full = resolve(cwd, dir);
  await checkFolder(flag, dir, full, 'pass a folder you can write to');
  return full;
}

/**
 * Resolves an output file (`--report json=FILE`, `--trace-out FILE`) against `cwd` and checks
 * that it can be written: not a folder (nor a path ending in a separator), its folder
 * writable or creatable (the writer creates it). Reads the file system, writes and removes a
 * probe file.
 *
 * @throws UsageError naming the flag and the path.
 */
export async function checkOutFile(flag: string, file: string, cwd: string): Promise<string> {
  // resolve() drops a trailing separator: `out/` would silently become a file named `out`.
  if (file.endsWith('/') || file.endsWith(sep)) {
    throw new UsageError(`${flag} ${file}: names a folder; pass a file path, e.g. ${file}report.json`);
  }
  const full = resolve(cwd, file);
  try {
    if ((await stat(full)).isDirectory()) {
      throw new UsageError(`${flag} ${file}: ${full} is a folder; pass a file path`);
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
  }
  await checkFolder(flag, file, dirname(full), 'pass a file path in a folder you can write to');
  return full;
}
