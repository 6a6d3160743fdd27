/**
 * A seed port's readings explored in the worker pool: `check` sends each reading to the
 * worker as data and judges the reports as the in-process `runChecks` does, so the JSON
 * report (rows and readings verdicts) is the same either way.
 */
import { describe, expect, it } from 'vitest';
import { toCheckReport } from '../src/report/checkReport.ts';
import { explore } from '../src/explore/explore.ts';
import type { ReadingsResult } from '../src/judge/judgeReadings.ts';
import { readingsJson } from '../src/report/readingReport.ts';
import { readingLabel, readingsToRun } from '../src/design/readings.ts';
import { runChecks } from '../src/judge/runChecks.ts';
import { loadExpectations } from '../src/cli/fixtureFiles.ts';
import { loadDesign } from '../src/design/loadDesign.ts';
import { expectationsDir } from '../src/design/packagePaths.ts';
import { inProcess, root } from './cliHarness.ts';

describe('check explores seed readings in workers', () => {
  it('gives the JSON report runChecks gives in-process, readings included', async () => {
    const runs = 30;
    const r = await inProcess(
      'check',
      ...['--design', 'seed-004', '--profile', 'lan', '--runs', String(runs), '--json', '--workers', '2'],
    );
    const fromPool = JSON.parse(r.stdout) as Record<string, unknown>;

    const loaded = await loadDesign('seed-004', root);
    const expectation = (await loadExpectations(expectationsDir)).get('seed-004');
    if (loaded.port === undefined) throw new Error('seed-004 has no readings');
    const readings: ReadingsResult[] = [];
    const results = await runChecks(
      [
        {
          design: loaded.design,
          ref: 'seed-004',
          role: 'seed',
          profiles: ['lan'],
          runs,
          port: loaded.port,
          ...(expectation === undefined ? {} : { expectation }),
        },
      ],
      { seed: 1, onReadings: (x) => readings.push(x) },
    );
    const here = JSON.parse(
      JSON.stringify({
        ...toCheckReport(results, { seed: 1, timing: false }),
        readings: readingsJson(readings),
      }),
    ) as Record<string, unknown>;

    expect(readings[0]?.runs.length).toBe(2);
    expect(fromPool['readings']).toEqual(here['readings']);
    expect(fromPool['designs']).toEqual(here['designs']);
    expect(fromPool['runs']).toEqual({ 'seed-004': 2 * runs });

    // Independently of the job code both sides share: the non-default reading explored
    // directly is violated exactly where the pool's verdict says it is.
    const other = readingsToRun(loaded.port.readings)[1];
    if (other === undefined) throw new Error('seed-004 has one reading');
    const direct = await explore(loaded.port.design(other), {
      runs,
      seed: 1,
      profile: 'lan',
      maxShrinkRuns: 0,
    });
    const label = readingLabel(loaded.port.readings, other);
    const [poolReadings] = fromPool['readings'] as { findings: { id: string; violatedUnder: string[] }[] }[];
    const underOther = (poolReadings?.findings ?? [])
      .filter((f) => f.violatedUnder.includes(label))
      .map((f) => f.id);
    const violated = direct.properties.filter((x) => x.status === 'violated').map((x) => x.id);
    expect(underOther).toEqual(violated);
  });
});
