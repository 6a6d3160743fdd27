/**
 * The flags of `check`: parsed by checkRun.ts, shown by the command's help (checkCommand.ts),
 * in a module of their own so that both import them one way.
 */
import { bundledDesigns } from '../design/loadDesign.ts';
import { maxRuns } from './flags.ts';
import { reportFlagSpec } from './reportOutputs.ts';

/** The flags of `check` (parsed by checkRun.ts). */
export const checkFlags = {
  design: {
    type: 'string',
    multiple: true,
    value: 'NAME|PATH',
    description:
      'a bundled design (reference, naive, seed-000...) or the path of your module (.ts or .js) or Python design (.py)',
    defaultText: `every bundled design (${bundledDesigns.join(', ')})`,
  },
  runs: {
    type: 'string',
    value: 'N',
    description: `generated runs per profile, 1..${maxRuns}`,
    defaultText: 'reference 2500, seed designs 400, your designs 1000, Python designs 250',
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
