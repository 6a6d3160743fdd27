/**
 * What each cell of a report means to a CI system: the one rule behind the JUnit, GitHub and
 * TAP reports, so that they fail exactly what fails the design's verdict (judgeDesign.ts) and
 * skip only what does not count.
 */
import { assertNever } from '../core/assertNever.ts';
import type { PropertyId, PropertyStatus } from '../properties/propertyTypes.ts';
import type { TimelineStep } from './timelineSteps.ts';

/** What a CI report reads of a property: `check`'s and `check-trace`'s rows alike. */
export interface CiProperty {
  readonly id: PropertyId;
  readonly status: PropertyStatus;
  /** The design's expectation lists this property as violated (`check` only). */
  readonly expected?: boolean;
  /** Status `checker-error`: what the checker threw. */
  readonly checkerError?: string;
  readonly counterexample?: {
    readonly message: string;
    readonly timeline: readonly TimelineStep[];
    /** The replay command, when the run can be replayed. */
    readonly reproduce?: string;
  };
}

/** What a CI report reads of a design row (or a trace file's row). */
export interface CiDesign {
  readonly name: string;
  /** A `seed` design's violations are judged by its expectation, never failures of their own. */
  readonly role: string;
  readonly matches: boolean;
  readonly missing: readonly PropertyId[];
  readonly coverageGaps: readonly PropertyId[];
  /** The coverage gaps fail this row (judgeDesign.ts `unexercisedFails`, traceReport.ts `nothingProved`). */
  readonly unexercisedFails: boolean;
  readonly determinismFailures: readonly {
    readonly seed: number;
    readonly path: string;
    readonly profile: string;
  }[];
  readonly properties: readonly CiProperty[];
  readonly paths?: readonly { readonly name: string; readonly cites: string | null }[];
  /** Wall-clock ms spent on this row (its explorations, or reading and checking its file). */
  readonly elapsedMs?: number;
}

/**
 * A cell's meaning: `failure` fails the design; `error` is the checker's failure, not the
 * design's (its checker threw: the property was not judged, and the whole check is an error);
 * `warning` is reported and not counted (a seed design's violation its expectation does not
 * list, a property never exercised where that does not fail); `skipped` does not apply;
 * `passed` held, or was violated as expected.
 */
export type CellOutcome =
  | { readonly kind: 'failure' | 'error' | 'warning' | 'skipped'; readonly reason: string }
  | { readonly kind: 'passed' };

/**
 * The meaning of one cell of `d`'s row. Pure.
 *
 * @example
 * cellOutcome(reference, { id: 'P8', status: 'violated' }); // { kind: 'failure', reason: 'violated' }
 */
export function cellOutcome(d: CiDesign, p: CiProperty): CellOutcome {
  if (p.status === 'checker-error') return { kind: 'error', reason: 'checker error' };
  if (d.missing.includes(p.id)) return { kind: 'failure', reason: 'expected violation not found' };
  switch (p.status) {
    case 'violated':
      if (d.role !== 'seed') return { kind: 'failure', reason: 'violated' };
      return p.expected === true
        ? { kind: 'passed' }
        : { kind: 'warning', reason: 'violated, not counted: a seed design is judged by its expectation' };
    case 'not-exercised':
      return d.unexercisedFails && d.coverageGaps.includes(p.id)
        ? { kind: 'failure', reason: 'never exercised' }
        : { kind: 'warning', reason: 'never exercised, not counted' };
    case 'not-applicable':
      return { kind: 'skipped', reason: 'not applicable' };
    case 'held':
      return { kind: 'passed' };
    default:
      return assertNever(p.status);
  }
}

/** A failure of a whole row, not of one property cell. */
export interface RowFailure {
  /** Short name of what failed, e.g. `determinism`. */
  readonly name: string;
  readonly message: string;
}

/**
 * The failures of `d`'s row that are no property's cell: a determinism failure, a code path
 * reached but not declared, and, when the row does not match and no cell says why, the
 * mismatch itself (a trace on which no property applied). Pure.
 *
 * @example
 * rowFailures(design).map((f) => f.name); // ['determinism']
 */
export function rowFailures(d: CiDesign): RowFailure[] {
  const out: RowFailure[] = d.determinismFailures.map((f) => ({
    name: 'determinism',
    message: `not deterministic at --seed ${f.seed} --path ${f.path} --profile ${f.profile}`,
  }));
  for (const p of d.paths ?? []) {
    if (p.cites === null)
      out.push({ name: 'paths', message: `path "${p.name}" was reached but the design does not declare it` });
  }
  const cellFails = d.properties.some((p) => {
    const kind = cellOutcome(d, p).kind;
    return kind === 'failure' || kind === 'error';
  });
  if (!d.matches && out.length === 0 && !cellFails) {
    out.push({
      name: 'verdict',
      message: d.unexercisedFails
        ? 'nothing was exercised: nothing was proved'
        : 'does not match its expectation',
    });
  }
  return out;
}
