/**
 * Checks, before a run starts, that the places the run will write to can be written: a run
 * of minutes must not end in a write error that hides its verdict.
 */
import { randomBytes } from 'node:crypto';
import { realpath, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
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

/** A path as the file system knows it: symlinks of its existing part resolved. Reads the file system. */
async function canonical(full: string): Promise<string> {
  try {
    return await realpath(full);
  } catch {
    const up = dirname(full);
    return up === full ? full : join(await canonical(up), basename(full));
  }
}

/**
 * Checks every output file of a command at once (`checkOutFile` each) and that no two of them,
 * and none of them and a folder in `folders` (`--out DIR`), are the same path: two writers of
 * one file would leave only the last. Reads the file system.
 *
 * @returns the resolved paths, in the order given.
 * @throws UsageError naming both flags and the path.
 * @example
 * await checkOutFiles([{ flag: '--report json=', file: 'r.json' }], [], process.cwd());
 */
export async function checkOutFiles(
  files: readonly { readonly flag: string; readonly file: string }[],
  folders: readonly { readonly flag: string; readonly path: string }[],
  cwd: string,
): Promise<string[]> {
  const seen = new Map<string, string>();
  for (const f of folders) seen.set(await canonical(resolve(cwd, f.path)), `${f.flag} ${f.path}`);
  const out: string[] = [];
  for (const { flag, file } of files) {
    const full = await checkOutFile(flag, file, cwd);
    const key = await canonical(full);
    const other = seen.get(key);
    if (other !== undefined) {
      throw new UsageError(
        `${flag}${file} and ${other} are the same path ${full}; give each output a path of its own`,
      );
    }
    seen.set(key, `${flag}${file}`);
    out.push(full);
  }
  return out;
}
