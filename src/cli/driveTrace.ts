/**
 * Reading a live server's trace file while it grows: where it ends now (a run's slice starts
 * there), its header line, and the complete lines appended since an offset.
 */
import { open, stat } from 'node:fs/promises';

/** The file's size in bytes, or null when it does not exist. */
export async function traceSize(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function readRange(path: string, start: number, end: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.max(0, end - start));
    let read = 0;
    while (read < buffer.length) {
      const { bytesRead } = await handle.read(buffer, read, buffer.length - read, start + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return buffer.subarray(0, read);
  } finally {
    await handle.close();
  }
}

/** The part of a trace file written after a run began. */
export interface Appended {
  /** The file's first line (its header), or null when the file has no complete line yet. */
  readonly header: string | null;
  /** Complete lines appended after `from` (a partial last line is left for later). */
  readonly text: string;
  /** Where the next run's part starts: just after the last complete line read. */
  readonly end: number;
  /** The file was shorter than `from`: the server started a new file; read from its start. */
  readonly restarted: boolean;
}

/**
 * The header and the complete lines of `path` after byte `from`. A file that shrank (the
 * server restarted and truncated it) is read from just after its header.
 *
 * @throws the fs error when the file cannot be read (ENOENT when it is missing).
 */
export async function readAppended(path: string, from: number): Promise<Appended> {
  const size = (await stat(path)).size;
  const head = (await readRange(path, 0, Math.min(size, 1 << 16))).toString('utf8');
  const newline = head.indexOf('\n');
  const header = newline < 0 ? null : head.slice(0, newline);
  const headerEnd = newline < 0 ? 0 : Buffer.byteLength(head.slice(0, newline + 1));
  const restarted = size < from;
  const start = Math.max(restarted ? 0 : from, headerEnd);
  const bytes = await readRange(path, start, size);
  const last = bytes.lastIndexOf(0x0a);
  const complete = last < 0 ? bytes.subarray(0, 0) : bytes.subarray(0, last + 1);
  return { header, text: complete.toString('utf8'), end: start + complete.length, restarted };
}
