/**
 * Runs the command line in this process with captured outputs: for tests of commands that
 * need no child process.
 */
import type { Io } from './io.ts';
import { main } from './main.ts';

/** What one command line produced. */
export interface CapturedRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `main(args)` with an `Io` capturing stdout and stderr (not terminals unless `extra`
 * says so). Runs whatever the command does.
 *
 * @example
 * const { code, stderr } = await runInProcess(['check', '--runs', 'x'], { cwd: '/repo' });
 */
export async function runInProcess(
  args: readonly string[],
  extra: Partial<Io> & { cwd: string },
): Promise<CapturedRun> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
    errIsTTY: false,
    ...extra,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
