/**
 * Running the command line from a test: as a child process from the sources (`cli`), or
 * in-process through `main` with captured output (`inProcess`).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runInProcess, type CapturedRun } from '../src/cli/runInProcess.ts';

/** The package root: where the command runs from. */
export const root = fileURLToPath(new URL('..', import.meta.url));

/** Exit code and output of one command. */
export type Outcome = CapturedRun;

/** The node arguments that run the command from the sources (through tsx). */
export const sourceCommand: readonly string[] = ['--import', 'tsx', 'src/cli/run.ts'];

/**
 * `ws-lifecycle ...args` in a child process, from the sources through tsx: the suite tests
 * the code as it is now, not the last build. INIT_CWD is dropped: these runs are not started
 * by npm in the package root.
 */
export function cli(...args: string[]): Promise<Outcome> {
  const { INIT_CWD: _initCwd, ...env } = process.env;
  return new Promise((resolve) => {
    execFile(
      'node',
      [...sourceCommand, ...args],
      { cwd: root, maxBuffer: 64 << 20, env },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** `main(args)` in this process, stderr not a terminal. */
export function inProcess(...args: string[]): Promise<Outcome> {
  return runInProcess(args, { cwd: root });
}
