/**
 * ws-lifecycle/check: the properties as trace checkers, random exploration with shrinking,
 * exact replay, the counterexample corpus, expectations, the report, and the exhaustive
 * explorer of reducer designs.
 *
 * @example
 * import { explore } from 'ws-lifecycle/check';
 * import { reference } from 'ws-lifecycle';
 * const report = await explore(reference, { runs: 500, seed: 1, profile: 'lan' });
 */
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
export { replay, replayScenario, scenarioAt } from './replay.ts';
export type { Replayed } from './replay.ts';
export { cutTimeline, renderTimeline } from './timeline.ts';
export { corpusFileName, parseCorpusEntry, toCorpusEntry } from './corpus.ts';
export type { CorpusEntry } from './corpus.ts';
export { parseExpectation } from './expectations.ts';
export type { Expectation, ExpectedViolation } from './expectations.ts';
export { judgeDesign } from './judgeDesign.ts';
export type { DesignResult, DesignRole, MergedProperty } from './judgeDesign.ts';
export { cell, propertyName, renderReport, reportJson, reproduceCommand } from './report.ts';
export type { ReportHeader } from './report.ts';
export { exploreExhaustive } from './exhaustive.ts';
export type { ExhaustiveResult, ExhaustiveViolation } from './exhaustive.ts';
export { DesignLoadError, FixtureError } from './errors.ts';
