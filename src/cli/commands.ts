/**
 * The registered subcommands, in `--help` order. Adding a command: write
 * src/cli/<name>Command.ts exporting a `Command` (a flag table, examples, `run`), and add one
 * entry here. A command's module is imported only when that command is used.
 */
import type { CommandEntry } from './command.ts';

/** Every subcommand of `ws-lifecycle`. */
export const commands: readonly CommandEntry[] = [
  {
    name: 'check',
    summary: 'explore designs with generated scenarios; print the design x property matrix',
    load: async () => (await import('./checkCommand.ts')).checkCmd,
  },
  {
    name: 'replay',
    summary: 'reproduce one explored run exactly (the reproduce line of a counterexample)',
    load: async () => (await import('./replayCommand.ts')).replayCmd,
  },
  {
    name: 'check-trace',
    summary: 'check recorded traces (simulation, ws adapter, ASGI recorder) with the same properties',
    load: async () => (await import('./checkTraceCommand.ts')).checkTraceCmd,
  },
  {
    name: 'drive',
    summary: 'play generated clients against a live server and judge its recorded trace per run',
    load: async () => (await import('./driveCommand.ts')).driveCmd,
  },
  {
    name: 'census',
    summary: 'how often each fault fired and each property precondition occurred, per profile',
    load: async () => (await import('./censusCommand.ts')).censusCmd,
  },
  {
    name: 'explore',
    summary: 'exhaustive bounded exploration of a reducer design',
    load: async () => (await import('./exploreCommand.ts')).exploreCmd,
  },
  {
    name: 'merge',
    summary: 'combine the reports of check --shard i/n --json into the one-run report',
    load: async () => (await import('./mergeCommand.ts')).mergeCmd,
  },
];
