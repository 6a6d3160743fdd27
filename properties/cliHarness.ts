/**
 * Running the command line from a test: as a child process (`cli`), or in-process through
 * `main` with captured output (`inProcess`).
 */
import { execFile } from 'node:child_process';
import type { Io } from '../src/cli/io.ts';
import { main } from '../src/cli/main.ts';

/** The package root: where `bin/ws-lifecycle.js` runs from. */
export const root = new URL('..', import.meta.url).pathname;

/** Exit code and output of one command. */
export interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node bin/ws-lifecycle.js ...args` in a child process. */
export function cli(...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      'node',
      ['bin/ws-lifecycle.js', ...args],
      { cwd: root, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** `main(args)` in this process, stderr not a terminal. */
export async function inProcess(...args: string[]): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
    errIsTTY: false,
    cwd: root,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
