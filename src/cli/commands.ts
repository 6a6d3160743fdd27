/**
 * The registered subcommands, in `--help` order. Adding a command: write
 * src/cli/<name>Command.ts exporting a `Command` (a flag table, examples, `run`), and add it
 * to this list.
 */
import { checkCmd } from './checkCommand.ts';
import type { Command } from './command.ts';
import { exploreCmd } from './exploreCommand.ts';
import { replayCmd } from './replayCommand.ts';

/** Every subcommand of `ws-lifecycle`. */
export const commands: readonly Command[] = [checkCmd, replayCmd, exploreCmd];
