/**
 * ws-lifecycle/check: the properties as trace checkers, random exploration with shrinking,
 * exact replay, the counterexample corpus, expectations, the report, and the exhaustive
 * explorer of reducer designs.
 *
 * @example
 * import { assertDesign, checkDesign, reference } from 'ws-lifecycle/check';
 * const report = await checkDesign(reference, { runs: 500, profiles: ['lan'] });
 * await assertDesign(myDesign, { runs: 200, ref: './my-design.ts' }); // throws on a violation
 */
export {
  checkDesign,
  assertDesign,
  DesignCheckFailure,
  defaultCheckRuns,
  defaultCheckProfiles,
} from './checkDesign.ts';
export type { CheckDesignOptions } from './checkDesign.ts';
export { toCheckReport } from '../report/checkReport.ts';
export type {
  CheckReport,
  ReportedCounterexample,
  ReportedDesign,
  ReportedPath,
  ReportedProperty,
} from '../report/checkReport.ts';
export { PathTally, mergePaths } from '../explore/pathTally.ts';
export type { MergedPath, PathCount } from '../explore/pathTally.ts';
export { checkReportSchema, timelineStepSchema } from '../report/reportSchema.ts';
export { junitReport } from '../report/junitReport.ts';
export { githubReport } from '../report/githubReport.ts';
export { tapReport } from '../report/tapReport.ts';
export { timelineSteps, stepLines } from '../report/timelineSteps.ts';
export type { TimelineStep } from '../report/timelineSteps.ts';
export { runChecks, coverageMinRuns } from '../judge/runChecks.ts';
export type { PlannedDesign, RunChecksOptions } from '../judge/runChecks.ts';
export {
  corpusEntrySchema,
  expectationSchema,
  scenarioSchema,
  parseFixture,
} from '../explore/fixtureSchemas.ts';
export { reference } from '../designs/reference.ts';
export { properties, checkTrace } from '../properties/checkTrace.ts';
export { CoverageTally } from '../explore/coverage.ts';
export type { PropertySummary } from '../explore/coverage.ts';
export type { PropertyDef, PropertySpec } from '../properties/fold.ts';
export type {
  CheckContext,
  PropertyId,
  PropertyStatus,
  PropertyVerdict,
} from '../properties/propertyTypes.ts';

export { scenarioArb, buildCommands, eventTypes, exploreProfiles } from '../explore/scenarioArb.ts';
export type { ExploreProfile } from '../explore/scenarioArb.ts';
export { explore, contextOf, firstDifference } from '../explore/explore.ts';
export type {
  Counterexample,
  DesignReport,
  DeterminismFailure,
  ExploreOptions,
  PropertyResult,
} from '../explore/explore.ts';
export { replay, replayCorpusEntry, replayScenario, scenarioAt } from '../explore/replay.ts';
export type { Replayed } from '../explore/replay.ts';
export { cutTimeline, renderTimeline } from '../report/timeline.ts';
export { corpusFileName, parseCorpusEntry, toCorpusEntry } from '../explore/corpus.ts';
export type { CorpusEntry } from '../explore/corpus.ts';
export { parseExpectation } from '../judge/expectations.ts';
export type { Expectation, ExpectedViolation } from '../judge/expectations.ts';
export { judgeDesign } from '../judge/judgeDesign.ts';
export type { DesignResult, DesignRole, MergedProperty } from '../judge/judgeDesign.ts';
export {
  cell,
  matrixLegend,
  noPaint,
  propertyName,
  renderMatrix,
  renderReport,
  reportJson,
  reproduceCommand,
  summaryLine,
} from '../report/report.ts';
export type { Paint, ReportHeader } from '../report/report.ts';
export { exploreExhaustive } from '../exhaustive/exhaustive.ts';
export type { ExhaustiveResult, ExhaustiveViolation } from '../exhaustive/exhaustive.ts';
export { DesignLoadError, FixtureError, ReplayPathError } from '../design/errors.ts';
