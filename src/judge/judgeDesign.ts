/**
 * Merges a design's per-profile explorations into one row of the matrix and judges it
 * against what is expected of it.
 */
import type { DesignRole } from '../design/loadDesign.ts';
import type { Counterexample, DesignReport, DeterminismFailure } from '../explore/explore.ts';
import type { Expectation, ExpectedViolation } from './expectations.ts';
import { mergePaths, type MergedPath } from '../explore/pathTally.ts';
import type { PropertyId, PropertyStatus } from '../properties/propertyTypes.ts';
import type { ExploreProfile } from '../explore/scenarioArb.ts';

/**
 * What is expected of a design: `seed` designs must show their fixture's violations;
 * `reference` and `user` designs must hold every property.
 */
export type { DesignRole };

/** One property of a design over every explored profile. */
export interface MergedProperty {
  readonly id: PropertyId;
  readonly status: PropertyStatus;
  readonly runs: number;
  readonly exercised: number;
  readonly violatedIn: readonly ExploreProfile[];
  /** The expectation fixture lists this property. */
  readonly expected: boolean;
  /** The shortest counterexample over the profiles (first profile on a tie). */
  readonly counterexample?: Counterexample;
  /** Status `checker-error`: what its checker threw (first profile it threw in). */
  readonly checkerError?: string;
}

/** One design's row of the report and its verdict. */
export interface DesignResult {
  readonly name: string;
  /** What `--design` needs to reproduce it: the bundled name or the module path. */
  readonly ref: string;
  readonly role: DesignRole;
  readonly profiles: readonly ExploreProfile[];
  readonly runs: number;
  readonly properties: readonly MergedProperty[];
  readonly determinismFailures: readonly DeterminismFailure[];
  /** Expected violations not found (a mismatch). */
  readonly missing: readonly ExpectedViolation[];
  /** Violations the expectation does not list (for the reference and user designs: every one). */
  readonly unexpected: readonly PropertyId[];
  /**
   * Properties whose checker threw: not judged, neither held nor violated, and not charged to
   * the design (`matches` ignores them); the check as a whole is an error (exit 3).
   */
  readonly checkerErrors: readonly PropertyId[];
  /**
   * Properties never exercised; with `coverageRequired`, a failure for the reference and for
   * a user's design alike (SPEC section 7: nothing was proved). A seed design's row reports
   * them without failing: its expectation lists what it must show.
   */
  readonly coverageGaps: readonly PropertyId[];
  /** The coverage gaps fail the design (`unexercisedFails`): the report says so, JUnit fails them. */
  readonly unexercisedFails: boolean;
  readonly matches: boolean;
  readonly elapsedMs: number;
  /**
   * Runs that reached each code path the design declares, per profile (src/explore/pathTally.ts);
   * absent when it declares none. A path with `cites` null was reached but not declared (a
   * typo): the design does not match.
   */
  readonly paths?: readonly MergedPath[];
}

/**
 * Whether a property never exercised fails a design of this role: the reference and a user's
 * design once enough runs were made (SPEC section 7: nothing was proved); never a seed
 * design, whose expectation lists what it must show. The one rule behind the verdict, the
 * text report and the JUnit report. Pure.
 *
 * @example unexercisedFails('user', true); // true
 */
export function unexercisedFails(role: DesignRole, coverageRequired: boolean): boolean {
  return role !== 'seed' && coverageRequired;
}

// A checker that failed in any profile leaves the property not judged: that outranks the rest.
const rank: Record<PropertyStatus, number> = {
  'checker-error': 4,
  violated: 3,
  held: 2,
  'not-exercised': 1,
  'not-applicable': 0,
};

function shorter(a: Counterexample | undefined, b: Counterexample | undefined): Counterexample | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.timeline.length < a.timeline.length ? b : a;
}

/**
 * Merges and judges. Pure.
 *
 * @param coverageRequired a never-exercised property fails the reference and user designs (enough runs were made).
 * @example
 * judgeDesign({ name: 'seed-003', ref: 'seed-003', role: 'seed', reports, expectation, coverageRequired: false }).matches;
 */
export function judgeDesign(args: {
  readonly name: string;
  readonly ref: string;
  readonly role: DesignRole;
  readonly reports: readonly DesignReport[];
  readonly expectation?: Expectation;
  readonly coverageRequired: boolean;
}): DesignResult {
  const { reports, expectation } = args;
  const expectedIds = new Set(expectation?.expected.map((e) => e.property) ?? []);
  const byId = new Map<PropertyId, MergedProperty>();
  for (const report of reports) {
    for (const p of report.properties) {
      const prev = byId.get(p.id);
      const violatedIn = p.status === 'violated' ? [report.profile] : [];
      const counterexample = shorter(prev?.counterexample, p.counterexample);
      const checkerError = prev?.checkerError ?? p.checkerError;
      byId.set(p.id, {
        id: p.id,
        status: prev === undefined || rank[p.status] > rank[prev.status] ? p.status : prev.status,
        runs: (prev?.runs ?? 0) + p.runs,
        exercised: (prev?.exercised ?? 0) + p.exercised,
        violatedIn: [...(prev?.violatedIn ?? []), ...violatedIn],
        expected: expectedIds.has(p.id),
        ...(counterexample === undefined ? {} : { counterexample }),
        ...(checkerError === undefined ? {} : { checkerError }),
      });
    }
  }
  const properties = [...byId.values()];
  const violated = properties.filter((p) => p.status === 'violated');
  const missing = (expectation?.expected ?? []).filter((e) => {
    const p = byId.get(e.property);
    if (p === undefined) return true;
    // A property whose checker threw was not judged: its expected violation is not missing.
    if (p.status === 'checker-error') return false;
    return e.profile === undefined ? p.status !== 'violated' : !p.violatedIn.includes(e.profile);
  });
  const unexpected = violated.filter((p) => !p.expected).map((p) => p.id);
  const coverageGaps = properties.filter((p) => p.status === 'not-exercised').map((p) => p.id);
  const determinismFailures = reports.flatMap((r) => r.determinismFailures);
  const holdsAll = args.role === 'seed' || violated.length === 0;
  const gapsFail = unexercisedFails(args.role, args.coverageRequired);
  const covered = !(gapsFail && coverageGaps.length > 0);
  const paths = mergePaths(reports);
  const undeclared = paths?.some((p) => p.cites === null) ?? false;
  return {
    name: args.name,
    ref: args.ref,
    role: args.role,
    profiles: reports.map((r) => r.profile),
    runs: reports.reduce((n, r) => n + r.runs, 0),
    properties,
    determinismFailures,
    missing,
    unexpected,
    checkerErrors: properties.filter((p) => p.status === 'checker-error').map((p) => p.id),
    coverageGaps,
    unexercisedFails: gapsFail,
    matches: missing.length === 0 && holdsAll && covered && determinismFailures.length === 0 && !undeclared,
    elapsedMs: reports.reduce((n, r) => n + r.elapsedMs, 0),
    ...(paths === null ? {} : { paths }),
  };
}
