/**
 * Where a command writes: stdout, stderr, and whether stderr is a terminal (progress).
 */

/** The command line's outputs, injectable so commands can be tested without a process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** stderr is a terminal: progress lines may be shown. */
  readonly errIsTTY: boolean;
  readonly cwd: string;
}

/**
 * The real process streams. Reads `process`; the only place that does.
 *
 * @example
 * const io = processIo(); io.out('hello\n');
 */
export function processIo(): Io {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    errIsTTY: process.stderr.isTTY === true,
    cwd: process.cwd(),
  };
}
