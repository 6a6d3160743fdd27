/**
 * The paths section of a `check` report: for every design that declares code paths, how many
 * generated runs reached each, per profile, with the citation it rests on; a path no run
 * reached is printed UNEXERCISED, and a reached name the design does not declare is printed
 * as the design error it is. Pure.
 */
import type { DesignResult } from '../judge/judgeDesign.ts';
import type { MergedPath } from '../explore/pathTally.ts';
import type { ExploreProfile } from '../explore/scenarioArb.ts';

/** One code path a design declares (or reached without declaring), over every explored profile. */
export interface ReportedPath {
  readonly name: string;
  /** The design's citation for it; null when the design does not declare it (a design error). */
  readonly cites: string | null;
  readonly declared: boolean;
  /** Generated runs that reached it, over every profile. */
  readonly reached: number;
  /** No run reached it: nothing was checked on this path. */
  readonly unexercised: boolean;
  readonly profiles: readonly {
    readonly profile: ExploreProfile;
    readonly reached: number;
    readonly runs: number;
  }[];
}

/** Colours the section uses (a subset of report.ts `Paint`). */
interface PathPaint {
  readonly bad: (s: string) => string;
  readonly warn: (s: string) => string;
  readonly dim: (s: string) => string;
}

/** The heading of the section. */
export const pathsHeading =
  'paths (generated runs that reached each code path a design marks; UNEXERCISED: no run did, so nothing was checked there):';

/**
 * `text` in lines of at most `width` columns (a longer word stays whole), the first indented
 * by `indent`, the others by `hanging` (default the same). Pure.
 */
export function wrapWords(text: string, indent: string, width = 80, hanging = indent): string[] {
  const lines: string[] = [];
  let line = '';
  const room = (): number => width - (lines.length === 0 ? indent : hanging).length;
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > room()) {
      lines.push((lines.length === 0 ? indent : hanging) + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push((lines.length === 0 ? indent : hanging) + line);
  return lines;
}

/**
 * One path's line: `name: lan 12/800, cloud-run 40/800`, a profile no run of which reached it
 * as `cloud-run unexercised (0/800)`, and a path reached by no run at all as
 * `name: UNEXERCISED (0 of 1600 runs)`. Pure.
 *
 * @example
 * pathLine(path); // '  pending_events buffer: UNEXERCISED (0 of 1600 runs)'
 */
export function pathLine(path: MergedPath, paint: PathPaint): string {
  const runs = path.byProfile.reduce((n, b) => n + b.runs, 0);
  if (path.cites === null) {
    return paint.bad(
      `  ${path.name}: NOT DECLARED, reached in ${path.reached} of ${runs} runs (a design error: declare it in the design's paths or fix the name)`,
    );
  }
  if (path.reached === 0) return `  ${path.name}: ${paint.warn(`UNEXERCISED (0 of ${runs} runs)`)}`;
  const parts = path.byProfile.map((b) =>
    b.reached === 0
      ? paint.warn(`${b.profile} unexercised (0/${b.runs})`)
      : `${b.profile} ${b.reached}/${b.runs}`,
  );
  return `  ${path.name}: ${parts.join(', ')}`;
}

/**
 * The section for every design of `results` with paths; empty when none has any. Pure.
 *
 * @example
 * renderPaths(results, noPaint).includes('UNEXERCISED');
 */
export function renderPaths(results: readonly DesignResult[], paint: PathPaint): string[] {
  const shown = results.filter((r) => r.paths !== undefined && r.paths.length > 0);
  if (shown.length === 0) return [];
  const out: string[] = ['', ...wrapWords(pathsHeading, '').map(paint.dim)];
  for (const r of shown) {
    out.push(r.name);
    for (const path of r.paths ?? []) {
      out.push(pathLine(path, paint));
      if (path.cites !== null) out.push(...wrapWords(path.cites, '      ').map(paint.dim));
    }
  }
  return out;
}

/** A design's paths as reported in JSON. Pure. */
export function reportedPaths(paths: readonly MergedPath[]): ReportedPath[] {
  return paths.map((p) => ({
    name: p.name,
    cites: p.cites,
    declared: p.cites !== null,
    reached: p.reached,
    unexercised: p.reached === 0,
    profiles: p.byProfile.map((b) => ({ profile: b.profile, reached: b.reached, runs: b.runs })),
  }));
}
