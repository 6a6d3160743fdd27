/**
 * The HTML report model of one replayed run (`replay --report html=FILE`): one matrix row,
 * and a sequence diagram per violated property.
 */
import type { PythonVersion } from '../sim/types.ts';
import type { HtmlReportModel } from './htmlReport.ts';
import { properties } from '../properties/index.ts';
import { cell, propertyName } from './report.ts';
import type { Replayed } from '../explore/replay.ts';
import { reproduceCommand } from '../explore/reproduceCommand.ts';
import type { ExploreProfile } from '../explore/scenarioArb.ts';
import { cutTimeline } from './timeline.ts';
import { diagramSteps } from './timelineSteps.ts';

/**
 * The page of a replayed run. Pure.
 *
 * @example
 * renderHtmlReport(htmlOfReplay(r, { name: 'naive', ref: 'naive', seed: 1, path: '3:0', profile: 'lan' }));
 */
export function htmlOfReplay(
  r: Pick<Replayed, 'scenario' | 'run' | 'verdicts'>,
  where: {
    readonly name: string;
    readonly ref: string;
    readonly seed: number;
    readonly path: string;
    readonly profile: ExploreProfile;
    readonly python?: PythonVersion;
  },
): HtmlReportModel {
  const violated = r.verdicts.filter((v) => v.status === 'violated');
  const reproduce = reproduceCommand(where.ref, where, where.python);
  return {
    title: `ws-lifecycle replay ${where.name}: seed ${where.seed} path ${where.path} profile ${where.profile}`,
    about: [`scenario: ${JSON.stringify(r.scenario)}`],
    properties: properties.map((p) => ({ id: p.id, name: p.name })),
    rows: [
      {
        name: where.name,
        matches: violated.length === 0,
        cells: r.verdicts.map((v) => ({
          id: v.id,
          text: cell({ status: v.status, expected: false }),
          status: v.status,
        })),
      },
    ],
    legend: 'ok held, X violated, nc precondition never exercised, - n/a (one replayed run)',
    verdicts: r.verdicts.map((v) => `${v.id.padEnd(4)} ${propertyName(v.id).padEnd(26)} ${v.status}`),
    sections: [],
    findings: violated.map((v) => ({
      design: where.name,
      property: v.id,
      title: `${where.name}  ${v.id} ${propertyName(v.id)}`,
      facts: `${where.profile}; ${r.run.trace.length} trace entries`,
      message: v.message,
      steps: diagramSteps(cutTimeline(r.run.trace, v.steps), v.steps),
      reproduce,
    })),
    verdict: violated.length === 0 ? 'pass' : 'fail',
    summary: `${violated.length} violation${violated.length === 1 ? '' : 's'} in one run`,
  };
}
