/**
 * `ws-lifecycle check`: its flags, help and examples. The work is in checkRun.ts, loaded only
 * when the command runs, so that `check --help` starts without the checkers, the simulation,
 * fast-check or zod.
 */
import { reportFlagSpec } from './reportOutputs.ts';
import type { Command } from './command.ts';
import { maxRuns } from './flags.ts';
import { bundledDesigns } from './loadDesign.ts';

/** The flags of `check` (parsed by checkRun.ts). */
export const checkFlags = {
  design: {
    type: 'string',
    multiple: true,
    value: 'NAME|PATH',
    description: 'a bundled design (reference, naive, seed-000...) or the path of your module (.ts or .js)',
    defaultText: `every bundled design (${bundledDesigns.join(', ')})`,
  },
  runs: {
    type: 'string',
    value: 'N',
    description: `generated runs per profile, 1..${maxRuns}`,
    defaultText: 'reference 2500, seed designs 400, your designs 1000',
  },
  seed: {
    type: 'string',
    value: 'S|random',
    description: 'fast-check seed (32-bit integer); random draws one and prints it',
    default: '1',
  },
  profile: {
    type: 'string',
    multiple: true,
    value: 'P[,P...]',
    description: 'fault profiles: ideal, lan, cloud-run, hostile, swarm',
    defaultText: 'ideal,lan,cloud-run,hostile (seed designs: lan,cloud-run + their expectations)',
  },
  json: { type: 'boolean', description: 'print only the report as JSON on stdout' },
  report: reportFlagSpec,
  out: {
    type: 'string',
    value: 'DIR',
    description: 'save each counterexample as DIR/<design>/<property>-<hash>.json (the corpus)',
  },
  progress: {
    type: 'string',
    value: 'MODE',
    description:
      'progress on stderr: auto, tty (one line redrawn), plain (a line every 5 s, for CI logs) or none',
    defaultText: 'auto (tty when stderr is a terminal, else plain)',
  },
  verbose: { type: 'boolean', description: 'list every fault knob of each profile, not only the faults' },
  timing: { type: 'boolean', description: 'add wall-clock figures to the report (not byte-stable)' },
  python: {
    type: 'string',
    value: '3.11|3.12',
    description: "the Python version handler designs run on (wait_for's task hop on 3.11, inline on 3.12)",
    defaultText: '3.11',
  },
  workers: {
    type: 'string',
    value: 'N',
    description:
      'explorations run at once, each design x profile (x reading) in its own worker thread; the report is the same for any N',
    defaultText: 'the core count',
  },
  shard: {
    type: 'string',
    value: 'i/n',
    description: 'run only every n-th exploration, from the i-th; with --json, a shard report for merge',
  },
  'time-limit': {
    type: 'string',
    value: 'S',
    description: 'wall-clock seconds for the whole check; past it, what finished is reported (exit 1)',
  },
  'run-time-limit': {
    type: 'string',
    value: 'MS',
    description: 'wall-clock ms one run may take before its design is reported as a RUNAWAY',
    defaultText: '5000',
  },
  'memory-limit': {
    type: 'string',
    value: 'MB',
    description:
      "heap cap of each exploration worker, also capping the process's resident memory (Buffers included) per running worker; past it the design is a RUNAWAY",
    defaultText: '1024',
  },
} as const;

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
      import('../check/parallel/workerHandle.ts'),
      import('../check/parallel/protocol.ts'),
    ]);
    prestartWorker(defaultLimits);
    return (await import('./checkRun.ts')).checkCommand(args, io);
  },
};
