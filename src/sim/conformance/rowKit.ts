/**
 * What the rows of the runtime conformance table share: the row type, Python's printing of
 * values, and the asyncio calls the rows use (`create_task`, `gather`).
 */
import { CancelledError } from '../errors.ts';
import type { Runtime, RuntimeTask } from '../runtime.ts';
import type { PythonVersion } from '../types.ts';

/** One row: what is copied, what asyncio prints, and the simulated sequence. */
export interface RuntimeRow {
  /** The function of asyncio_rows.py that runs the same sequence on real asyncio. */
  readonly name: string;
  /** The CPython source copied: version, file, function. */
  readonly cpython: string;
  /** Steps asyncio prints, per Python version where they differ. */
  readonly expected: string[] | Readonly<Record<PythonVersion, string[]>>;
  /** The sequence on the simulated runtime, run as the main task (`asyncio.run`). */
  readonly simulate: (rt: Runtime, log: string[], python: PythonVersion) => Promise<void>;
}

/** The steps a row expects on `python`. */
export function expectedOn(row: RuntimeRow, python: PythonVersion): string[] {
  return Array.isArray(row.expected)
    ? row.expected
    : (row.expected as Record<PythonVersion, string[]>)[python];
}

/** Citation prefixes of the CPython 3.11 sources the rows copy. */
export const locks = 'CPython 3.11 Lib/asyncio/locks.py';
export const queues = 'CPython 3.11 Lib/asyncio/queues.py';
export const tasks = 'CPython 3.11 Lib/asyncio/tasks.py';

/** Python's `str()` of a bool. */
export function pyBool(value: boolean): string {
  return value ? 'True' : 'False';
}

/** `asyncio.create_task` from a row (its exceptions are the row's to read). */
export function spawn(rt: Runtime, name: string, fn: () => Promise<unknown>): RuntimeTask<unknown> {
  return rt.spawnTask(name, fn, null, false);
}

/** `asyncio.gather(..., return_exceptions=True)` over tasks already spawned. */
export async function gather(all: readonly RuntimeTask<unknown>[]): Promise<void> {
  for (const task of all) await task.finished;
}

/** Runs `fn`, logging `<name> cancelled` when it raises CancelledError. */
export async function logCancel(log: string[], name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof CancelledError) log.push(`${name} cancelled`);
    throw error;
  }
}

/** Every row of the runtime table. */
