/**
 * Where a command writes: stdout, stderr, whether they are terminals, the environment and the
 * directory the user ran the command from.
 */
import { dirname, resolve } from 'node:path';

/** The command line's outputs, injectable so commands can be tested without a process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** stderr is a terminal: progress lines may be shown. */
  readonly errIsTTY: boolean;
  /** stdout is a terminal: the report may be coloured (see colors.ts). */
  readonly outIsTTY?: boolean;
  /** Width of the stdout terminal; absent when it is not one (the report then fits 80). */
  readonly columns?: number;
  /** Environment variables read by the command (NO_COLOR, FORCE_COLOR). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The directory relative paths (--design, --out, --report) are resolved against. */
  readonly cwd: string;
}

/**
 * The directory the user typed the command in. npm runs a package's scripts in the package
 * root and records the caller's directory in INIT_CWD; trusted only when the process does run
 * in the root of the package npm names (npm_package_json), so a child process started
 * elsewhere with an inherited INIT_CWD keeps its own directory. Pure.
 *
 * @example
 * userCwd('/repo', { INIT_CWD: '/repo/sub', npm_package_json: '/repo/package.json' }); // '/repo/sub'
 */
export function userCwd(cwd: string, env: Readonly<Record<string, string | undefined>>): string {
  const init = env['INIT_CWD'];
  const pkg = env['npm_package_json'];
  if (init === undefined || init === '' || pkg === undefined) return cwd;
  return resolve(dirname(pkg)) === resolve(cwd) ? init : cwd;
}

/**
 * The real process streams. Reads `process`; the only place that does.
 *
 * @example
 * const io = processIo(); io.out('hello\n');
 */
export function processIo(): Io {
  // A terminal of unknown size (0 columns, e.g. a pty under script(1)) counts as none: 80.
  const columns =
    process.stdout.isTTY === true && process.stdout.columns > 0 ? process.stdout.columns : undefined;
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    errIsTTY: process.stderr.isTTY === true,
    outIsTTY: process.stdout.isTTY === true,
    ...(columns === undefined ? {} : { columns }),
    env: process.env,
    cwd: userCwd(process.cwd(), process.env),
  };
}
