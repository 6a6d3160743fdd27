/**
 * `CoverageTally`: per-property verdicts aggregated over a run set, with coverage counts.
 */
import { properties } from '../properties/index.ts';
import type { PropertyId, PropertyStatus, PropertyVerdict } from '../properties/propertyTypes.ts';

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
  /** The first verdict whose checker threw (`checker-error`), when any. */
  readonly firstCheckerError?: PropertyVerdict;
}

/**
 * One property's counts. Every field merges by its kind (`mergeFields`): numbers are counts
 * and add up, Maps merge key by key, anything else is a first-seen sample (the earlier run
 * set's is kept). A field added later merges without a line of merge code, as long as it is
 * one of these kinds.
 */
interface Tally {
  runs: number;
  exercised: number;
  exercisedRuns: number;
  violatedRuns: number;
  notApplicableRuns: number;
  firstViolation: PropertyVerdict | undefined;
  /** Runs whose checker of this property threw; absent until one did. */
  checkerErrorRuns?: number;
  firstCheckerError?: PropertyVerdict;
}

/**
 * Aggregates per-run verdicts. A property is `checker-error` if its checker threw on any run
 * (the first such verdict is kept: nothing it says about the other runs is trusted), else
 * violated if any run violated it (the first violation is kept), else not-applicable if it was not applicable in every run, else
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
      } else if (verdict.status === 'checker-error') {
        tally.checkerErrorRuns = (tally.checkerErrorRuns ?? 0) + 1;
        tally.firstCheckerError ??= verdict;
      }
    }
  }

  /**
   * Adds the runs `later` tallied, as if they had been added here after this tally's own
   * (so a first violation here stays first). Merging the tallies of consecutive run sets in
   * order gives the tally of the whole set, whatever the split.
   */
  merge(later: CoverageTally): void {
    for (const [id, tally] of later.tallies) {
      const mine = this.tallies.get(id);
      if (mine === undefined) this.tallies.set(id, { ...tally });
      else mergeFields(mine, tally);
    }
  }

  /** The counts as structured-clonable data (a worker posts them). Pure. */
  toData(): CoverageData {
    return new Map([...this.tallies].map(([id, t]) => [id, { ...t }]));
  }

  /** A tally holding `data` (from `toData`, possibly cloned across threads). Pure. */
  static fromData(data: CoverageData): CoverageTally {
    const tally = new CoverageTally();
    for (const [id, t] of data) tally.tallies.set(id, { ...t } as unknown as Tally);
    return tally;
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
      result.push({
        ...base,
        ...(tally.firstViolation === undefined ? {} : { firstViolation: tally.firstViolation }),
        ...(tally.firstCheckerError === undefined ? {} : { firstCheckerError: tally.firstCheckerError }),
      });
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

/** A `CoverageTally`'s counts as data (structured-clonable). */
export type CoverageData = ReadonlyMap<PropertyId, Readonly<Record<string, unknown>>>;

/**
 * Merges the fields of `later` into `earlier`, by kind: numbers add up, Maps merge key by key
 * (recursively, keys new in `later` appended in its order), any other value is a sample and
 * `earlier`'s is kept unless it has none (undefined). Used for every count aggregated over
 * runs, so a field added later needs no merge code of its own. Mutates `earlier`.
 *
 * @example
 * const a = { runs: 2, first: 'x', hits: new Map([['p', 1]]) };
 * mergeFields(a, { runs: 3, first: 'y', hits: new Map([['p', 1], ['q', 2]]) });
 * // a: { runs: 5, first: 'x', hits: Map { p: 2, q: 2 } }
 */
export function mergeFields<T extends object>(earlier: T, later: T): void {
  const into = earlier as Record<string, unknown>;
  for (const [key, value] of Object.entries(later)) into[key] = mergeValue(into[key], value);
}

function mergeValue(earlier: unknown, later: unknown): unknown {
  if (earlier === undefined) return later;
  if (typeof earlier === 'number' && typeof later === 'number') return earlier + later;
  if (earlier instanceof Map && later instanceof Map) {
    const merged = new Map(earlier);
    for (const [k, v] of later) merged.set(k, mergeValue(merged.get(k), v));
    return merged;
  }
  return earlier;
}

function statusOf(tally: Tally): PropertyStatus {
  if (tally.firstCheckerError !== undefined) return 'checker-error';
  if (tally.firstViolation !== undefined) return 'violated';
  if (tally.notApplicableRuns === tally.runs) return 'not-applicable';
  if (tally.exercised === 0) return 'not-exercised';
  return 'held';
}
