/**
 * Design code paths as coverage: how many runs reached each path a design declares
 * (`HandlerDesign.paths`, marked with `env.probe.reach(name)`), per exploration and merged
 * over a design's profiles. A path no run reached is unexercised: whatever the matrix says
 * about the design, nothing was checked on that path.
 */
import type { DesignPaths } from '../sim/types.ts';
import type { RunResult } from '../trace/types.ts';
import type { ExploreProfile } from './scenarioArb.ts';

/** How many generated runs of one exploration reached one code path. */
export interface PathCount {
  readonly name: string;
  /** Where the path comes from (the design's `paths`); null for a name the design does not declare. */
  readonly cites: string | null;
  /** Runs in which the path was reached at least once. */
  readonly runs: number;
}

/** One code path of a design over every explored profile. */
export interface MergedPath {
  readonly name: string;
  readonly cites: string | null;
  /** Runs that reached it over every profile. */
  readonly reached: number;
  /** Per explored profile, in exploration order: runs that reached it, of that profile's runs. */
  readonly byProfile: readonly {
    readonly profile: ExploreProfile;
    readonly reached: number;
    readonly runs: number;
  }[];
}

/**
 * Counts, over a run set, the runs that reached each path: the declared paths (from 0, in
 * declaration order), then every undeclared name some run reached. Mutable: `add` once per
 * run, `summary` whenever.
 *
 * @example
 * const tally = new PathTally(design.paths);
 * tally.add(await runScenario(design, scenario));
 * tally.summary(); // [{ name: 'restart', cites: 'seed 000 §2.1.B ...', runs: 1 }]
 */
export class PathTally {
  private readonly declared: DesignPaths | undefined;
  private readonly counts = new Map<string, number>();

  constructor(declared: DesignPaths | undefined) {
    this.declared = declared;
    for (const name of Object.keys(declared ?? {})) this.counts.set(name, 0);
  }

  /** Adds one run. */
  add(run: RunResult): void {
    for (const [name, hits] of Object.entries(run.reached ?? {})) {
      if (hits > 0) this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
      else if (!this.counts.has(name)) this.counts.set(name, 0);
    }
  }

  /**
   * Adds the runs `later` counted, as if added here after this tally's own (names new in
   * `later` come after this tally's, in its order), so the tallies of consecutive run sets
   * merged in order are the tally of the whole set.
   */
  merge(later: PathTally): void {
    for (const [name, runs] of later.counts) this.counts.set(name, (this.counts.get(name) ?? 0) + runs);
  }

  /** The counts as structured-clonable data (a worker posts them). Pure. */
  toData(): Map<string, number> {
    return new Map(this.counts);
  }

  /** A tally of `declared` paths holding `data` (from `toData`). Pure. */
  static fromData(declared: DesignPaths | undefined, data: ReadonlyMap<string, number>): PathTally {
    const tally = new PathTally(declared);
    for (const [name, runs] of data) tally.counts.set(name, runs);
    return tally;
  }

  /** The counts, or null when the design declares no paths and no run reached any. Pure. */
  summary(): PathCount[] | null {
    if (this.declared === undefined && this.counts.size === 0) return null;
    const declared = this.declared ?? {};
    return [...this.counts].map(([name, runs]) => ({
      name,
      cites: Object.hasOwn(declared, name) ? (declared[name] ?? null) : null,
      runs,
    }));
  }
}

/**
 * Merges the path counts of a design's explorations (one per profile), in path order of
 * first appearance; a profile whose report has no count for a path reached it in 0 runs.
 * Null when no report has path counts. Pure.
 *
 * @example
 * mergePaths(reports)?.filter((p) => p.reached === 0).map((p) => p.name); // unexercised
 */
export function mergePaths(
  reports: readonly {
    readonly profile: ExploreProfile;
    readonly runs: number;
    readonly paths?: readonly PathCount[];
  }[],
): MergedPath[] | null {
  if (reports.every((r) => r.paths === undefined)) return null;
  const names = new Map<string, string | null>();
  for (const r of reports) for (const p of r.paths ?? []) if (!names.has(p.name)) names.set(p.name, p.cites);
  return [...names].map(([name, cites]) => {
    const byProfile = reports.map((r) => ({
      profile: r.profile,
      reached: r.paths?.find((p) => p.name === name)?.runs ?? 0,
      runs: r.runs,
    }));
    return { name, cites, reached: byProfile.reduce((n, b) => n + b.reached, 0), byProfile };
  });
}
