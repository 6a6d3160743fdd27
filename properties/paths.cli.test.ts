/**
 * Design code paths in the `check` report as a user runs it: the counts cross worker threads
 * and shard files unchanged, so the report is the same for any --workers N and for a merge.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkReportSchema } from '../src/report/reportSchema.ts';
import { inProcess as cli } from './cliHarness.ts';

// seed-003 under two profiles: two jobs, one per worker or shard.
const plan = ['check', '--design', 'seed-003', '--profile', 'lan,cloud-run', '--runs', '10', '--json'];

describe('design code paths across workers and shards', () => {
  it('--workers 1, --workers 2 and a merge of two shards print the same paths', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsl-paths-'));
    const [one, two, s1, s2] = await Promise.all([
      cli(...plan, '--workers', '1'),
      cli(...plan, '--workers', '2'),
      cli(...plan, '--shard', '1/2'),
      cli(...plan, '--shard', '2/2'),
    ]);
    const report = checkReportSchema.parse(JSON.parse(one.stdout));
    const seed003 = report.designs.find((d) => d.name === 'seed-003');
    expect(seed003?.paths?.map((p) => p.name)).toContain('phase 4 creates the second machine');
    expect(seed003?.paths?.every((p) => p.profiles.map((b) => b.profile).join() === 'lan,cloud-run')).toBe(
      true,
    );
    expect(seed003?.paths?.some((p) => p.reached > 0)).toBe(true);
    expect(two.stdout).toBe(one.stdout);
    await writeFile(join(dir, 's1.json'), s1.stdout);
    await writeFile(join(dir, 's2.json'), s2.stdout);
    const merged = await cli('merge', join(dir, 's2.json'), join(dir, 's1.json'), '--json');
    expect(merged.stdout).toBe(one.stdout);
  });
});
