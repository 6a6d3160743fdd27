import { describe, expect, it } from 'vitest';
import { runScenario } from '../sim/runScenario.ts';
import { zeroKnobs } from '../sim/profiles.ts';
import type { DesignEnv, DesignServer, HandlerDesign, Scenario } from '../sim/types.ts';
import { toCheckReport } from '../report/checkReport.ts';
import { checkTrace } from '../properties/checkTrace.ts';
import { contextOf, explore } from './explore.ts';
import { judgeDesign } from '../judge/judgeDesign.ts';
import { judgeReadings } from '../judge/judgeReadings.ts';
import { renderReadings, readingsJson } from '../report/readingReport.ts';
import { handlerPort, type ReadingSpace } from '../design/readings.ts';
import { renderReport } from '../report/report.ts';
import { checkReportSchema } from '../report/reportSchema.ts';

/** Accepts, marks `every run` once per connection and `name` too when given; never marks `dead`. */
function server(env: DesignEnv, also: string | null): DesignServer {
  return {
    async handle(conn) {
      await conn.socket.accept();
      env.probe.reach('every run');
      if (also !== null) env.probe.reach(also);
      try {
        for (;;) await conn.socket.receiveText();
      } catch {
        // the client left
      }
    },
    emit: async () => false,
    close: async () => undefined,
  };
}

const paths = { 'every run': 'test: marked in handle', dead: 'test: marked nowhere' };
const marking = (name: string, also: string | null): HandlerDesign => ({
  kind: 'handler',
  name,
  paths,
  create: (env) => server(env, also),
});

const scenario: Scenario = {
  knobs: zeroKnobs,
  environment: 'production',
  commands: [
    { atMs: 0, kind: 'open', conn: 'c1', userId: 'u1' },
    { atMs: 0, kind: 'open', conn: 'c2', userId: 'u2' },
  ],
  choices: [],
};

describe('design code paths (HandlerDesign.paths, env.probe.reach)', () => {
  it('a run counts the hits of every declared path, 0 for one never reached, outside the trace', async () => {
    const run = await runScenario(marking('m', null), scenario);
    expect(run.reached).toEqual({ 'every run': 2, dead: 0 });
    expect(run.trace.some((e) => e.action === 'reach' || e.action === 'error')).toBe(false);
  });

  it('a design that declares no paths and reaches none has no counts', async () => {
    const silent: HandlerDesign = {
      kind: 'handler',
      name: 'silent',
      create: (env) => ({ ...server(env, null), handle: (conn) => conn.socket.accept() }),
    };
    expect((await runScenario(silent, scenario)).reached).toBeUndefined();
  });

  it('the report lists a reached path with its runs and prints the other UNEXERCISED', async () => {
    const design = marking('two-paths', null);
    const report = await explore(design, { runs: 12, seed: 3, profile: 'lan' });
    expect(report.paths).toEqual([
      { name: 'every run', cites: 'test: marked in handle', runs: 12 },
      { name: 'dead', cites: 'test: marked nowhere', runs: 0 },
    ]);
    const result = judgeDesign({
      name: design.name,
      ref: design.name,
      role: 'user',
      reports: [report],
      coverageRequired: false,
    });
    const text = renderReport([result], { seed: 3, timing: false });
    expect(text).toContain('\n  every run: lan 12/12\n      test: marked in handle\n');
    expect(text).toContain('\n  dead: UNEXERCISED (0 of 12 runs)\n      test: marked nowhere\n');
    const json = checkReportSchema.parse(toCheckReport([result], { seed: 3, timing: false }));
    expect(json.designs[0]?.paths).toEqual([
      {
        name: 'every run',
        cites: 'test: marked in handle',
        declared: true,
        reached: 12,
        unexercised: false,
        profiles: [{ profile: 'lan', reached: 12, runs: 12 }],
      },
      {
        name: 'dead',
        cites: 'test: marked nowhere',
        declared: true,
        reached: 0,
        unexercised: true,
        profiles: [{ profile: 'lan', reached: 0, runs: 12 }],
      },
    ]);
  });

  it('a profile none of whose runs reached a path says so next to the one that did', async () => {
    const design = marking('two-paths', null);
    const lan = await explore(design, { runs: 5, seed: 3, profile: 'lan' });
    const empty = { ...lan, profile: 'cloud-run' as const, paths: [] };
    const result = judgeDesign({
      name: design.name,
      ref: design.name,
      role: 'user',
      reports: [lan, empty],
      coverageRequired: false,
    });
    expect(renderReport([result], { seed: 3, timing: false })).toContain(
      '  every run: lan 5/5, cloud-run unexercised (0/5)',
    );
  });

  it('reaching an undeclared name is a design error: DE, NOT DECLARED, and no match', async () => {
    const design = marking('typo', 'evry run');
    const run = await runScenario(design, scenario);
    expect(run.reached).toEqual({ 'every run': 2, dead: 0, 'evry run': 2 });
    const de = checkTrace(run, contextOf(design, 'lan')).find((v) => v.id === 'DE');
    expect(de?.status).toBe('violated');
    expect(de?.message).toContain(
      `design error in reach: Error: path "evry run" is not in the design's paths`,
    );
    // Once per run, however often it is reached.
    expect(run.trace.filter((e) => e.action === 'error')).toHaveLength(1);
    const report = await explore(design, { runs: 4, seed: 3, profile: 'lan', maxShrinkRuns: 0 });
    const result = judgeDesign({
      name: 'typo',
      ref: 'typo',
      role: 'seed',
      reports: [report],
      coverageRequired: false,
    });
    expect(result.matches).toBe(false);
    const text = renderReport([result], { seed: 3, timing: false });
    expect(text).toContain('  evry run: NOT DECLARED, reached in 4 of 4 runs');
    expect(text).toContain('  undeclared path "evry run" reached in 4 runs');
  });

  it('the readings section says under which readings a path was reached, UNEXERCISED under none', async () => {
    const space: ReadingSpace = [
      {
        name: 'extra',
        question: 'whether handle marks a second path',
        default: 'no',
        options: [
          { value: 'no', cites: 'test: no' },
          { value: 'yes', cites: 'test: yes' },
        ],
      },
    ];
    const declared = { ...paths, second: 'test: only under extra=yes' };
    const { port } = handlerPort(
      'read',
      space,
      (env, reading) => server(env, reading['extra'] === 'yes' ? 'second' : null),
      undefined,
      declared,
    );
    const perReading = await Promise.all(
      [{ extra: 'no' }, { extra: 'yes' }].map(async (reading) => ({
        reading,
        reports: [await explore(port.design(reading), { runs: 3, seed: 1, profile: 'lan' })],
      })),
    );
    const { readings } = judgeReadings({
      name: 'read',
      ref: 'read',
      role: 'seed',
      space,
      perReading,
      coverageRequired: false,
    });
    const text = renderReadings([readings]);
    expect(text).toContain('    every run: reached under every reading\n');
    expect(text).toContain('    dead: UNEXERCISED under every reading\n');
    expect(text).toContain('    second: reached only extra=yes\n');
    expect(readingsJson([readings])[0]).toMatchObject({
      paths: [
        { name: 'every run', reachedUnder: ['extra=no', 'extra=yes'] },
        { name: 'dead', reachedUnder: [] },
        {
          name: 'second',
          reachedUnder: ['extra=yes'],
          byReading: [
            { reading: 'extra=no', reached: 0, runs: 3 },
            { reading: 'extra=yes', reached: 3, runs: 3 },
          ],
        },
      ],
    });
  });
});
