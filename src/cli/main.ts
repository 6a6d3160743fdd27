/**
 * The `ws-lifecycle` command: `check`, `replay`, `explore`. Bad input prints one line on
 * stderr and exits 2, never a stack trace.
 */
import { DesignLoadError, FixtureError } from '../check/errors.ts';
import { checkCommand } from './checkCommand.ts';
import { exploreCommand } from './exploreCommand.ts';
import { mergeCommand } from './mergeCommand.ts';
import { processIo, type Io } from './io.ts';
import { replayCommand } from './replayCommand.ts';
import { UsageError } from './usageError.ts';

/** What `ws-lifecycle --help` prints. */
export const usage = `usage: ws-lifecycle <command> [flags]

  check   [--design NAME|PATH]... [--runs N] [--seed S] [--profile P] [--json] [--out DIR] [--timing]
          [--workers N] [--shard i/n] [--time-limit S] [--run-time-limit MS] [--memory-limit MB]
          explore designs with generated scenarios; print the design x property matrix
  replay  --design D --seed S --path P [--profile P] [--trace]
          reproduce one run exactly
  explore [--design reference] [--connections N] [--max-emits N] [--broadcasts N] [--capacity N]
          [--max-states N] [--depth N] [--reduction all|symmetry|por|none] [--allow-truncated] [--json]
          [--replay PATH] [--step-time-limit MS] [--memory-limit MB]
          exhaustive bounded exploration of a reducer design over N connections
  merge   SHARD.json... [--json]
          combine the reports of check --shard i/n --json into one

profiles: ideal, lan, cloud-run, hostile, swarm
exit codes: 0 every design matches its expectation, 1 a mismatch or violation, 2 bad input
docs: docs/cli.md
`;

/** parseArgs' own errors (unknown flag, missing value) carry a code starting ERR_PARSE_ARGS. */
function isParseArgsError(e: unknown): e is Error {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function oneLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}

/**
 * Runs the command line. Not pure: reads files, writes to `io`.
 *
 * @returns the exit code: 0 match, 1 mismatch or violation, 2 bad input.
 * @example
 * process.exitCode = await main(['check', '--design', 'reference', '--runs', '200']);
 */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await checkCommand(rest, io);
      case 'replay':
        return await replayCommand(rest, io);
      case 'explore':
        return await exploreCommand(rest, io);
      case 'merge':
        return await mergeCommand(rest, io);
      case '--help':
      case '-h':
      case 'help':
        io.out(usage);
        return 0;
      case undefined:
        throw new UsageError('no command given; use check, replay or explore (ws-lifecycle --help)');
      default:
        throw new UsageError(
          `unknown command "${command}"; use check, replay or explore (ws-lifecycle --help)`,
        );
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof DesignLoadError || e instanceof FixtureError) {
      io.err(`ws-lifecycle: ${oneLine(e.message)}\n`);
      return 2;
    }
    if (isParseArgsError(e)) {
      io.err(`ws-lifecycle: ${oneLine(e.message)}; see ws-lifecycle --help\n`);
      return 2;
    }
    // A bug of the harness or a design that escaped the simulation: still one line.
    const what = e instanceof Error ? `${e.name}: ${oneLine(e.message)}` : String(e);
    io.err(`ws-lifecycle: internal error (${what}); rerun with the same flags and report it\n`);
    return 2;
  }
}
