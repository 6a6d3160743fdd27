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
export { toCheckReport } from './checkReport.ts';
export type {
  CheckReport,
  ReportedCounterexample,
  ReportedDesign,
  ReportedPath,
  ReportedProperty,
} from './checkReport.ts';
export { PathTally, mergePaths } from './pathTally.ts';
export type { MergedPath, PathCount } from './pathTally.ts';
export { checkReportSchema, timelineStepSchema } from './reportSchema.ts';
export { junitReport } from './junitReport.ts';
export { githubReport } from './githubReport.ts';
export { tapReport } from './tapReport.ts';
export { timelineSteps, stepLines } from './timelineSteps.ts';
export type { TimelineStep } from './timelineSteps.ts';
export { runChecks, coverageMinRuns } from './runChecks.ts';
export type { PlannedDesign, RunChecksOptions } from './runChecks.ts';
export { corpusEntrySchema, expectationSchema, scenarioSchema, parseFixture } from './fixtureSchemas.ts';
export { reference } from '../designs/reference.ts';
export { properties, checkTrace } from './checkTrace.ts';
export { CoverageTally } from './coverage.ts';
export type { PropertySummary } from './coverage.ts';
export type {
  CheckContext,
  PropertyDef,
  PropertyId,
  PropertyStatus,
  PropertyVerdict,
} from './propertyTypes.ts';

export { scenarioArb, buildCommands, eventTypes, exploreProfiles } from './scenarioArb.ts';
export type { ExploreProfile } from './scenarioArb.ts';
export { explore, contextOf, firstDifference } from './explore.ts';
export type {
  Counterexample,
  DesignReport,
  DeterminismFailure,
  ExploreOptions,
  PropertyResult,
} from './explore.ts';
export { replay, replayCorpusEntry, replayScenario, scenarioAt } from './replay.ts';
export type { Replayed } from './replay.ts';
export { cutTimeline, renderTimeline } from './timeline.ts';
export { corpusFileName, parseCorpusEntry, toCorpusEntry } from './corpus.ts';
export type { CorpusEntry } from './corpus.ts';
export { parseExpectation } from './expectations.ts';
export type { Expectation, ExpectedViolation } from './expectations.ts';
export { judgeDesign } from './judgeDesign.ts';
export type { DesignResult, DesignRole, MergedProperty } from './judgeDesign.ts';
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
} from './report.ts';
export type { Paint, ReportHeader } from './report.ts';
export { exploreExhaustive } from './exhaustive.ts';
export type { ExhaustiveResult, ExhaustiveViolation } from './exhaustive.ts';
export { DesignLoadError, FixtureError, ReplayPathError } from './errors.ts';
