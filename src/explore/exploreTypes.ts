/**
 * What an exploration reports (`explore`, src/explore/explore.ts, and the rounds it runs,
 * exploreRounds.ts): counterexamples, determinism failures, per-property results, and the
 * design report that holds them. Types only, so both modules import them one way.
 */
import type { Scenario } from '../sim/types.ts';
import type { TraceRecord } from '../trace/types.ts';
import type { PathCount } from './pathTally.ts';
import type { PropertyId, PropertyStatus } from '../properties/propertyTypes.ts';
import type { ExploreProfile } from './scenarioArb.ts';

/** A shrunk counterexample of one property, with everything needed to replay it. */
export interface Counterexample {
  readonly property: PropertyId;
  readonly message: string;
  readonly profile: ExploreProfile;
  /** fast-check seed of the round that found it (`replay --seed`). */
  readonly seed: number;
  /** fast-check counterexample path (`replay --path`). */
  readonly path: string;
  readonly scenario: Scenario;
  /** Trace indexes of the offending entries. */
  readonly offending: readonly number[];
  /** The cut trace a reader needs; its length is the counterexample's "steps". */
  readonly timeline: readonly TraceRecord[];
  /** Generated runs (over all rounds of this exploration) up to the first failing one. */
  readonly runsToFirstFailure: number;
  /** Wall-clock milliseconds to the first failing run (only printed with --timing). */
  readonly msToFirstFailure: number;
  readonly shrinks: number;
}

/** A shrunk scenario whose second run produced a different trace than the first. */
export interface DeterminismFailure {
  readonly profile: ExploreProfile;
  readonly seed: number;
  readonly path: string;
  readonly scenario: Scenario;
  /** Index of the first differing trace line. */
  readonly firstDifference: number;
  /** Found by re-running a sampled generated run (`path` is then its index), not a counterexample. */
  readonly sampled?: boolean;
}

/** Aggregated result of one property over an exploration. */
export interface PropertyResult {
  readonly id: PropertyId;
  readonly status: PropertyStatus;
  readonly runs: number;
  /** Runs in which the property's precondition occurred (coverage). */
  readonly exercised: number;
  readonly counterexample?: Counterexample;
  /** Status `checker-error`: what the checker threw on the first run it failed on. */
  readonly checkerError?: string;
}

/** What `explore` returns for one design and one profile. */
export interface DesignReport {
  readonly name: string;
  readonly profile: ExploreProfile;
  readonly seed: number;
  readonly runs: number;
  readonly properties: readonly PropertyResult[];
  readonly determinismFailures: readonly DeterminismFailure[];
  readonly elapsedMs: number;
  /**
   * Generated runs that reached each code path the design declares (src/explore/pathTally.ts);
   * absent when it declares none and reached none.
   */
  readonly paths?: readonly PathCount[];
}
