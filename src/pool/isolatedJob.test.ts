import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { design as naive } from '../../fixtures/designs/naive.ts';
import { reference } from '../designs/reference.ts';
import { explore } from '../explore/explore.ts';
import { startJob } from './isolatedJob.ts';
import { runawayReplay } from './protocol.ts';

const cwd = new URL('../..', import.meta.url).pathname;
// Generous wall limits: the suite shares a loaded machine, and only the hang must exceed it.
const limits = { runMs: 3000, memoryMb: 256 };
const job = (design: string) => ({ design, cwd, profile: 'lan' as const, runs: 30, seed: 3 });

describe('startJob runs an exploration in a worker under a watchdog', () => {
  it('returns the report an in-process explore gives', async () => {
    const outcome = await startJob(job('reference'), limits).outcome;
    expect(outcome.kind).toBe('report');
    const here = await explore(reference, job('reference'));
    if (outcome.kind !== 'report') return;
    expect({ ...outcome.reports[0], elapsedMs: 0 }).toEqual({ ...here, elapsedMs: 0 });
  });

  it.each([2, 3])('splits one exploration over %i workers and reports what explore does', async (workers) => {
    // naive breaks several properties: every round ends at a failing run some chunk found.
    const options = { profile: 'lan' as const, runs: 150, seed: 4 };
    const progress: number[] = [];
    const running = startJob({ ...job('fixtures/designs/naive.ts'), ...options }, limits, {
      workers,
      onProgress: (n) => progress.push(n),
    });
    expect(running.workers()).toBe(workers);
    const outcome = await running.outcome;
    const here = await explore(naive, options);
    expect(outcome.kind).toBe('report');
    if (outcome.kind !== 'report') return;
    const strip = (r: unknown): string =>
      JSON.stringify(r, (k, v: unknown) => (k === 'elapsedMs' || k === 'msToFirstFailure' ? 0 : v));
    expect(strip(outcome.reports[0])).toBe(strip(here));
    expect(progress.at(-1)).toBe(150);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it.each([
    ['fixtures/designs/runaway/hang.ts', 'hung'],
    ['fixtures/designs/runaway/spin.ts', 'spinning'],
    ['fixtures/designs/runaway/real-timer.ts', 'real-timers'],
    ['fixtures/designs/runaway/leak.ts', 'memory'],
  ])('reports %s as %s, naming the run and its replay', async (design, kind) => {
    // The leak's runs slow down as its heap fills: give them time, the heap cap ends it.
    const outcome = await startJob(job(design), kind === 'memory' ? { ...limits, runMs: 60_000 } : limits)
      .outcome;
    expect(outcome).toMatchObject({ kind: 'runaway', runaway: { kind, design, profile: 'lan' } });
    // The leak fills each worker's heap at its own pace, and a spinning run's wait is the hang's.
    if (kind === 'hung' || kind === 'real-timers') {
      // Split over workers, the runaway is still the first run that runs away.
      const split = await startJob(job(design), limits, { workers: 2 }).outcome;
      expect(split).toEqual(outcome);
    }
    if (outcome.kind !== 'runaway') return;
    expect(outcome.runaway.index).toBeGreaterThanOrEqual(0);
    expect(runawayReplay(outcome.runaway)).toMatch(
      new RegExp(`^npx ws-lifecycle replay --design ${design} --seed \\d+ --path \\d+ --profile lan$`),
    );
  });

  it('throws away a hang in a chunk after a failing run, and names the run one worker names', async () => {
    // The runaway base fails properties within a round's first runs (a round ends there) and
    // this one hangs in a fourth connection starting after 150 ms: chunks after the failing run hang on
    // their own, as no run of one worker does before it reaches that run.
    const dir = await mkdtemp(join(tmpdir(), 'wsl-split-'));
    const file = join(dir, 'late-hang.ts');
    await writeFile(
      file,
      `import { runawayDesign } from ${JSON.stringify(join(cwd, 'fixtures/designs/runaway/base.ts'))};
const seen = new WeakMap<object, number>();
let ready = false;
export const design = runawayDesign('late-hang', (env) => {
  const n = (seen.get(env) ?? 0) + 1;
  seen.set(env, n);
  if (n >= 4 && env.runtime.now() > 150) while (!ready) ready = globalThis.process === undefined;
});
`,
    );
    const late = { ...job(file), runs: 200 };
    const one = await startJob(late, limits).outcome;
    expect(one).toMatchObject({ kind: 'runaway', runaway: { kind: 'hung' } });
    if (one.kind !== 'runaway') return;
    // Found after a round that a failing run ended.
    expect(one.runaway.seed).toBeGreaterThan(late.seed);
    expect(await startJob(late, limits, { workers: 3 }).outcome).toEqual(one);
  });

  it('a shrink candidate that runs away is named by the run being shrunk, and said to be one', async () => {
    // Run 0 of seed 2 breaks P15; the design hangs from its fourth run on, while shrinking.
    const outcome = await startJob(
      { design: 'fixtures/designs/runaway/shrink-hang.ts', cwd, profile: 'lan', runs: 1, seed: 2 },
      limits,
    ).outcome;
    expect(outcome).toMatchObject({ kind: 'runaway', runaway: { kind: 'hung', seed: 2, index: 0 } });
    if (outcome.kind !== 'runaway') return;
    expect(outcome.runaway.message).toContain('a shrink candidate of this run');
  });
});
