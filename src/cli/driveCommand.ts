/**
 * `ws-lifecycle drive URL --trace FILE [--runs N] [--seed S] [--run K] [--time-limit SEC]
 * [--reruns K] [--settle-ms MS] [--shrink] [--allow-remote] [--json]`: plays generated client
 * scenarios against a live server of any language over real sockets, and judges the part of
 * the server's recorded trace each run appended with check-trace's checkers.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command, FlagTable } from './command.ts';
import { driveJson, driveText } from './driveReport.ts';
import { Drive, type DriveOptions } from './driveRun.ts';
import { intFlag, requiredFlag, seedBounds, seedFlag } from './flags.ts';
import type { Io } from './io.ts';
import { UsageError } from './usageError.ts';
import { exitCodes } from './exitCodes.ts';

const flags = {
  trace: {
    type: 'string',
    value: 'FILE',
    description:
      'the trace file the server writes (docs/trace.md); each run judges what it appended (required)',
  },
  runs: { type: 'string', value: 'N', description: 'scenarios to play', default: '50' },
  seed: {
    type: 'string',
    value: 'S',
    description: 'seed of the scenarios (an integer, or random: drawn and printed)',
    default: 'random',
  },
  run: {
    type: 'string',
    value: 'K',
    description: 'play only scenario K of the seed (the reproduce line of a finding)',
  },
  'time-limit': {
    type: 'string',
    value: 'SEC',
    description: 'stop starting runs, re-runs and shrink tries after this many seconds',
    default: '120',
  },
  reruns: {
    type: 'string',
    value: 'K',
    description: "play each finding's scenario again K times and count how often it reproduced",
    default: '5',
  },
  'settle-ms': {
    type: 'string',
    value: 'MS',
    description: "wait this long after a run's last client action before reading the trace",
    default: '500',
  },
  server: {
    type: 'string',
    value: 'CMD',
    description:
      'start the server with this shell command before every run and stop it after (a fresh server per run: re-runs and shrinking judge one scenario alone); it must write its trace to --trace',
  },
  shrink: {
    type: 'boolean',
    description:
      "drop each action of a finding's scenario once; keep it out if the property is still violated in 2 of 3 tries",
  },
  'allow-remote': {
    type: 'boolean',
    description: 'allow a host other than loopback (127.0.0.0/8, ::1, localhost)',
  },
  json: { type: 'boolean', description: 'print only the report as JSON on stdout' },
} as const satisfies FlagTable;

/** Whether a URL's hostname is loopback. Pure. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Checks a drive URL template: ws:// or wss://, parseable once `{conn}` and `{user}` are
 * filled, loopback unless `allowRemote`. Pure.
 *
 * @throws UsageError saying what is wrong.
 * @example checkDriveUrl('ws://127.0.0.1:8000/ws/{conn}', false);
 */
export function checkDriveUrl(template: string, allowRemote: boolean): void {
  let url: URL;
  try {
    url = new URL(template.replaceAll('{conn}', '1').replaceAll('{user}', 'u1'));
  } catch {
    throw new UsageError(`"${template}" is not a URL; pass e.g. 'ws://127.0.0.1:8000/ws/{conn}'`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new UsageError(
      `drive needs a ws:// or wss:// URL, got ${url.protocol}//; pass e.g. 'ws://127.0.0.1:8000/ws/{conn}'`,
    );
  }
  if (!allowRemote && !isLoopback(url.hostname)) {
    throw new UsageError(
      `drive refuses the non-loopback host ${url.hostname}: it opens, floods and drops connections; pass --allow-remote to drive it anyway`,
    );
  }
}

/** The options of a drive from its flags. @throws UsageError on a bad flag. */
function driveOptions(args: readonly string[], io: Io): { options: DriveOptions; json: boolean } {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: flags,
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1) {
    throw new UsageError(
      `drive needs one URL, got ${positionals.length}; e.g. ws-lifecycle drive 'ws://127.0.0.1:8000/ws/{conn}' --trace trace.jsonl`,
    );
  }
  const url = positionals[0] as string;
  checkDriveUrl(url, values['allow-remote'] === true);
  const traceName = requiredFlag('drive', 'trace', values.trace);
  const { seed } = seedFlag(values.seed, () => Math.floor(Math.random() * 0x7fffffff));
  return {
    options: {
      url,
      traceName,
      tracePath: resolve(io.cwd, traceName),
      seed,
      runs: intFlag('runs', values.runs, { min: 1, max: 1_000_000 }),
      onlyRun: values.run === undefined ? null : intFlag('run', values.run, { min: 0, max: seedBounds.max }),
      timeLimitMs: intFlag('time-limit', values['time-limit'], { min: 1, max: 7 * 24 * 3600 }) * 1000,
      reruns: intFlag('reruns', values.reruns, { min: 0, max: 1000 }),
      settleMs: intFlag('settle-ms', values['settle-ms'], { min: 0, max: 60_000 }),
      shrink: values.shrink === true,
      server: values.server ?? null,
    },
    json: values.json === true,
  };
}

/**
 * Runs `drive`.
 *
 * @returns 0 no run violated a property, 1 a finding, 3 a property's checker threw.
 * @throws UsageError for bad flags, a bad or non-loopback URL, a server that refuses every
 *   connection, or a trace file the server does not write (the caller exits 2).
 */
export async function driveCommand(args: readonly string[], io: Io): Promise<number> {
  const { options, json } = driveOptions(args, io);
  const result = await new Drive(options, (line) => io.err(line)).drive();
  io.out(json ? `${JSON.stringify(driveJson(options, result), null, 2)}\n` : driveText(options, result));
  // A checker that threw leaves its property unjudged: the drive as a whole is an error.
  for (const message of result.checkerErrors) io.err(`ws-lifecycle drive: CHECKER ERROR: ${message}\n`);
  if (result.checkerErrors.length > 0) return exitCodes.checkerError;
  return result.findings.length === 0 ? exitCodes.pass : exitCodes.fail;
}

/** The `drive` command. */
export const driveCmd: Command = {
  name: 'drive',
  operands: 'URL',
  description: [
    'Plays generated client scenarios (1-4 connections: opens, message bursts, normal closes,',
    'clients that vanish without a close frame, paused readers) against a live server of any',
    'language over real sockets, and judges the part of the server trace (--trace) each run',
    'appended with the checkers of check-trace. URL is a template: {conn} is the connection',
    'number (1-4), {user} its user (two connections may share one). A finding is printed with',
    'its timeline and reproduce line, and its scenario is played again --reruns times: a live',
    'finding is evidence, and the report says how often a re-run reproduced it.',
  ].join('\n'),
  flags,
  examples: [
    [
      "ws-lifecycle drive 'ws://127.0.0.1:8000/ws/{conn}' --trace t.jsonl --seed 1",
      'a server recording with adapters/python (TraceRecorder("t.jsonl"))',
    ],
    [
      "ws-lifecycle drive 'ws://[::1]:80/c?u={user}' --trace t.jsonl --seed 1 --run 7",
      'play run 7 of seed 1 again (a reproduce line)',
    ],
  ],
  run: driveCommand,
};
