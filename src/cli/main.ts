/**
 * The `ws-lifecycle` command line: `ws-lifecycle <command> [flags]`, `--version`, `--help`
 * and `<command> --help`. Bad input prints one line on stderr and exits 2, never a stack
 * trace.
 *
 * Structure: each subcommand is one file, src/cli/<name>Command.ts, exporting a `Command`
 * (command.ts): a flag table that both parses (node's util.parseArgs) and generates the help,
 * examples, and `run(args, io)`. Adding a command is that file plus one entry (name, summary,
 * module) in src/cli/commands.ts; the module is imported only when its command is used. A
 * command whose work needs heavy modules may import them from `run`, as check does
 * (checkCommand.ts holds its flags, checkRun.ts its work). Errors: throw a UsageError (usageError.ts) with one line that says
 * what was wrong and what to do; this file turns it into exit 2.
 */
import { DesignLoadError, FixtureError, ReplayPathError } from '../design/errors.ts';
import { commandHelp, type CommandEntry } from './command.ts';
import { commands } from './commands.ts';
import { processIo, type Io } from './io.ts';
import { optionError, OptionError } from './optionError.ts';
import { packageVersion } from '../design/packagePaths.ts';
import { UsageError } from './usageError.ts';
import { exitCodes } from './exitCodes.ts';

/** What `ws-lifecycle --help` prints. */
export function usage(entries: readonly CommandEntry[] = commands): string {
  const width = Math.max(...entries.map((c) => c.name.length)) + 2;
  return [
    'usage: ws-lifecycle <command> [flags]',
    '',
    ...entries.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'ws-lifecycle <command> --help   flags, defaults and examples of a command',
    'ws-lifecycle --version          the version',
    '',
    'profiles: ideal, lan, cloud-run, hostile, swarm',
    'exit codes: 0 every design matches its expectation, 1 a mismatch or violation, 2 bad input',
    'colour: on a terminal; NO_COLOR=1 turns it off, FORCE_COLOR=1 on',
    '',
  ].join('\n');
}

/** parseArgs' own errors (unknown flag, missing value) carry a code starting ERR_PARSE_ARGS. */
function isParseArgsError(e: unknown): e is Error & { code: string } {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function oneLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === '-V') {
    io.out(`${packageVersion()}\n`);
    return exitCodes.pass;
  }
  const names = (): string => commands.map((c) => c.name).join(', ');
  if (name === undefined) throw new UsageError(`no command given; use ${names()} (ws-lifecycle --help)`);
  if (name === '--help' || name === '-h' || name === 'help') {
    const about = commands.find((c) => c.name === rest[0]);
    io.out(about === undefined ? usage() : commandHelp(await about.load()));
    return exitCodes.pass;
  }
  const entry = commands.find((c) => c.name === name);
  if (entry === undefined) {
    throw new UsageError(`unknown command "${name}"; use ${names()} (ws-lifecycle --help)`);
  }
  const command = await entry.load();
  // Help wins over every other flag, as in git and npm: `check --runs x --help` prints help.
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(command));
    return exitCodes.pass;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    // Only a command's own flags are parsed by parseArgs, so the error is about `command`'s.
    if (isParseArgsError(e)) throw optionError(command.name, command.flags, rest, e);
    throw e;
  }
}

/**
 * Runs the command line. Not pure: reads files, writes to `io`.
 *
 * @returns the exit code (exitCodes.ts): 0 match, 1 mismatch or violation, 2 bad input, 3 a
 *   checker error, 130/143 interrupted.
 * @example
 * process.exitCode = await main(['check', '--design', 'reference', '--runs', '200']);
 */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    if (e instanceof OptionError) {
      io.err(`ws-lifecycle ${e.command}: ${oneLine(e.message)}\n`);
      return exitCodes.badInput;
    }
    if (
      e instanceof UsageError ||
      e instanceof DesignLoadError ||
      e instanceof FixtureError ||
      e instanceof ReplayPathError
    ) {
      io.err(`ws-lifecycle: ${oneLine(e.message)}\n`);
      return exitCodes.badInput;
    }
    if (isParseArgsError(e)) {
      // Only a command's own flags are parsed, so argv[0] is that command.
      io.err(`ws-lifecycle: ${oneLine(e.message)}; see ws-lifecycle ${argv[0] ?? ''} --help\n`);
      return exitCodes.badInput;
    }
    // A bug of the harness or a design that escaped the simulation: still one line.
    const what = e instanceof Error ? `${e.name}: ${oneLine(e.message)}` : String(e);
    io.err(`ws-lifecycle: internal error (${what}); rerun with the same flags and report it\n`);
    return exitCodes.badInput;
  }
}
