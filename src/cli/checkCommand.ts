/**
 * `ws-lifecycle check`: its flags, help and examples. The work is in checkRun.ts, loaded only
 * when the command runs, so that `check --help` starts without the checkers, the simulation,
 * fast-check or zod.
 */
import type { Command } from './command.ts';
import { checkFlags } from './checkFlags.ts';

export { checkFlags };

/** The `check` command. */
export const checkCmd: Command = {
  name: 'check',
  description: [
    'Explores each design with generated scenarios (fast-check) under its fault profiles, checks',
    'every run against the properties, shrinks each violation to a short replayable timeline,',
    'and prints the matrix, the counterexamples and a summary line. Relative paths are taken',
    'from the directory the command was typed in (also through npm run). Each exploration runs in',
    'a worker thread under a watchdog: a design that hangs, spins, holds real timers or leaks is',
    'reported as a RUNAWAY with the run that did it; Ctrl-C prints and saves what finished (exit',
    '130), and so does SIGTERM (exit 143).',
  ].join('\n'),
  flags: checkFlags,
  examples: [
    ['ws-lifecycle check', 'every bundled design under its default profiles'],
    ['ws-lifecycle check --design ./my-design.ts --runs 500', 'your own design module'],
    [
      'ws-lifecycle check --design reference --profile lan,hostile --seed random',
      'two profiles, a fresh seed',
    ],
    ['ws-lifecycle check --report junit=out/junit.xml --report json=out/report.json', 'reports for CI'],
    [
      'ws-lifecycle check --design naive --runs 200 --report html=report.html',
      'a page to read the counterexamples on',
    ],
    ['npm run -s check -- --json > report.json', "JSON through npm: -s keeps npm's banner off stdout"],
    ['ws-lifecycle check --shard 1/2 --json > s1.json', 'half of the explorations (merge joins the shards)'],
    ['ws-lifecycle check --workers 1 --time-limit 600', 'one worker at a time, at most ten minutes'],
  ],
  run: async (args, io) => {
    // One worker starts loading the exploration modules now, alongside the main thread's
    // loading and planning; the first exploration takes it (workerHandle.ts prestartWorker).
    const [{ prestartWorker }, { defaultLimits }] = await Promise.all([
      import('../pool/workerHandle.ts'),
      import('../pool/protocol.ts'),
    ]);
    prestartWorker(defaultLimits);
    return (await import('./checkRun.ts')).checkCommand(args, io);
  },
};
