/**
 * Reading a file the user named (a trace, a saved counterexample) without surprises: a FIFO,
 * a device or a folder is refused before any read (reading a FIFO would wait for a writer
 * forever), and so is a file too large to become one string.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';

/**
 * Largest input file read, in bytes: V8 cannot hold a longer string (its limit is just under
 * 2^29 UTF-16 units), and a larger trace would end in an allocation error, not a verdict.
 */
export const maxInputBytes = 512 * 1024 * 1024;

/** O_RDONLY | O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting. */
const nonBlockingRead = constants.O_RDONLY | constants.O_NONBLOCK;

/** The text of a file, or why it cannot be read (a few words, no file name). */
export type InputRead =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly why: string };

/**
 * Reads `name` (resolved against `cwd`) as UTF-8 when it is a regular file of at most
 * `maxBytes`. Reads the file system; never throws for a missing or unusual file.
 *
 * @example
 * const r = await readInputFile('run.jsonl', process.cwd());
 * if (!r.ok) console.error(`run.jsonl: ${r.why}`);
 */
export async function readInputFile(name: string, cwd: string, maxBytes = maxInputBytes): Promise<InputRead> {
  let handle;
  try {
    // A plain open of a FIFO waits for a writer: opened non-blocking, it returns at once and
    // fstat on the handle says what it is, before any read.
    handle = await open(resolve(cwd, name), nonBlockingRead);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'a folder, not a file'
            : `cannot be opened (${code})`;
    return { ok: false, why };
  }
  try {
    const s = await handle.stat();
    if (s.isDirectory()) return { ok: false, why: 'a folder, not a file' };
    if (!s.isFile()) {
      const kind = s.isFIFO() ? 'a FIFO (named pipe)' : s.isSocket() ? 'a socket' : 'a device';
      return { ok: false, why: `${kind}, not a regular file; save the input to a file first` };
    }
    if (s.size > maxBytes) {
      return {
        ok: false,
        why: `${Math.ceil(s.size / 2 ** 20)} MB, over the ${Math.floor(maxBytes / 2 ** 20)} MB an input file may have; split it`,
      };
    }
    return { ok: true, text: await handle.readFile('utf8') };
  } catch (error) {
    return { ok: false, why: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    await handle.close();
  }
}
