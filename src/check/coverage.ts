/**
 * `CoverageTally`: per-property verdicts aggregated over a run set, with coverage counts.
 */
import { properties } from './properties/index.ts';
import type { PropertyId, PropertyStatus, PropertyVerdict } from './propertyTypes.ts';

/** One property's verdict over a run set. */
export interface PropertySummary {
  readonly id: PropertyId;
  readonly status: PropertyStatus;
  /** Runs tallied. */
  readonly runs: number;
  /** Total precondition count over all runs (coverage). */
  readonly exercised: number;
  /** Runs in which the precondition occurred at least once. */
  readonly exercisedRuns: number;
  /** Runs in which the property was violated. */
  readonly violatedRuns: number;
  /** The first violation seen, when any. */
  readonly firstViolation?: PropertyVerdict;
}

interface Tally {
  runs: number;
  exercised: number;
  exercisedRuns: number;
  violatedRuns: number;
  notApplicableRuns: number;
  firstViolation: PropertyVerdict | undefined;
}

/**
 * Aggregates per-run verdicts. A property is violated if any run violated it (the first
 * violation is kept), else not-applicable if it was not applicable in every run, else
 * not-exercised if its precondition never occurred in any run, else held. Mutable: `add`
 * once per run, `summary` whenever.
 *
 * @example
 * const tally = new CoverageTally();
 * for (const run of runs) tally.add(checkTrace(run, ctx));
 * tally.summary().find((s) => s.id === 'P2')?.status; // 'held' or 'not-exercised' or ...
 */
export class CoverageTally {
  private readonly tallies = new Map<PropertyId, Tally>();

  /** Adds one run's verdicts (any subset of properties, in any order). */
  add(verdicts: readonly PropertyVerdict[]): void {
    for (const verdict of verdicts) {
      const tally = this.tallyOf(verdict.id);
      tally.runs++;
      tally.exercised += verdict.exercised;
      if (verdict.exercised > 0) tally.exercisedRuns++;
      if (verdict.status === 'not-applicable') tally.notApplicableRuns++;
      if (verdict.status === 'violated') {
        tally.violatedRuns++;
        tally.firstViolation ??= verdict;
      }
    }
  }

  /** One summary per property, P1..P15 order, for every property seen at least once. Pure. */
  summary(): PropertySummary[] {
    const result: PropertySummary[] = [];
    for (const { id } of properties) {
      const tally = this.tallies.get(id);
      if (tally === undefined) continue;
      const base = {
        id,
        status: statusOf(tally),
        runs: tally.runs,
        exercised: tally.exercised,
        exercisedRuns: tally.exercisedRuns,
        violatedRuns: tally.violatedRuns,
      };
      result.push(
        tally.firstViolation === undefined ? base : { ...base, firstViolation: tally.firstViolation },
      );
    }
    return result;
  }

  private tallyOf(id: PropertyId): Tally {
    let tally = this.tallies.get(id);
    if (tally === undefined) {
      tally = {
        runs: 0,
        exercised: 0,
        exercisedRuns: 0,
        violatedRuns: 0,
        notApplicableRuns: 0,
        firstViolation: undefined,
      };
      this.tallies.set(id, tally);
    }
    return tally;
  }
}

function statusOf(tally: Tally): PropertyStatus {
  if (tally.firstViolation !== undefined) return 'violated';
  if (tally.notApplicableRuns === tally.runs) return 'not-applicable';
  if (tally.exercised === 0) return 'not-exercised';
  return 'held';
}
