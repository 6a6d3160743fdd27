import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { reference } from '../designs/reference.ts';
import { explore } from '../explore/explore.ts';
import { startJob } from './isolatedJob.ts';
import { hasPrestartedWorker, prestartWorker, takePrestarted } from './workerHandle.ts';

const cwd = fileURLToPath(new URL('../..', import.meta.url));
const limits = { runMs: 3000, memoryMb: 256 };
const job = { design: 'reference', cwd, profile: 'lan' as const, runs: 30, seed: 3 };
const strip = (r: unknown): string => JSON.stringify(r, (k, v: unknown) => (k === 'elapsedMs' ? 0 : v));

describe('a worker started before its job is known', () => {
  it('is taken by the next job, which reports what explore does', async () => {
    prestartWorker(limits);
    expect(hasPrestartedWorker()).toBe(true);
    const outcome = await startJob(job, limits).outcome;
    expect(hasPrestartedWorker()).toBe(false);
    expect(outcome.kind).toBe('report');
    if (outcome.kind !== 'report') return;
    expect(strip(outcome.reports[0])).toBe(strip(await explore(reference, job)));
  });

  it('with another memory cap it is ended, not taken; with the same one it is taken', async () => {
    prestartWorker({ ...limits, memoryMb: 512 });
    const other = takePrestarted(limits);
    expect(other).toBeNull();
    expect(hasPrestartedWorker()).toBe(false);
    prestartWorker(limits);
    const same = takePrestarted(limits);
    expect(same).not.toBeNull();
    await same?.terminate();
    // And a job after a mismatched one still runs, on a worker of its own.
    prestartWorker({ ...limits, memoryMb: 512 });
    expect((await startJob(job, limits).outcome).kind).toBe('report');
  });

  it('keeps no process alive while nobody takes it: check with an unknown design exits at once', async () => {
    // `check` prestarts a worker before it reads its flags; this one fails before any job.
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', 'src/cli/run.ts', 'check', '--design', 'no-such-design'],
        { cwd, timeout: 20_000 },
        (_error, _out, err) => resolve({ code: child.exitCode, stderr: err }),
      );
    });
    expect(stderr).toContain('no design named "no-such-design"');
    expect(code).toBe(2);
  });
});
