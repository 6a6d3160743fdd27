/**
 * The planted-bug suite: every design under fixtures/designs/broken (each declares the
 * property its bug must violate) and every design under fixtures/designs/correct (each must
 * hold everything), explored the way `check` explores a user's design: the default budget
 * per profile, the default profiles, seed 1. Shared by properties/planted.test.ts and the
 * detection-rate command bench/planted.ts.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { explore, type DesignReport } from '../src/explore/explore.ts';
import { judgeDesign, type DesignResult } from '../src/judge/judgeDesign.ts';
import { exploreProfiles, type ExploreProfile } from '../src/explore/scenarioArb.ts';
import { defaultProfiles, defaultRunsPerProfile } from '../src/cli/checkRun.ts';
import type { Design } from '../src/sim/types.ts';
import type { Planted } from '../fixtures/designs/broken/planted.ts';

const brokenDir = fileURLToPath(new URL('../fixtures/designs/broken/', import.meta.url));
const correctDir = fileURLToPath(new URL('../fixtures/designs/correct/', import.meta.url));

/** A planted-bug design and what it declares. */
export interface PlantedDesign {
  readonly file: string;
  readonly design: Design;
  readonly planted: Planted;
}

/** What the exploration made of one planted bug. */
export interface Detection {
  readonly caught: boolean;
  /** The profile whose exploration caught it. */
  readonly profile?: ExploreProfile;
  /** Generated runs, over the profiles explored in order, up to the first counterexample. */
  readonly runsToFirst?: number;
  /** Steps of the shrunk counterexample's timeline. */
  readonly steps?: number;
  readonly message?: string;
  /** The named property was violated, but by a finding other than the declared one. */
  readonly otherFinding?: string;
  /** Runs spent in all. */
  readonly runs: number;
}

function modulesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort();
}

async function importModule(dir: string, file: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(dir + file).href)) as Record<string, unknown>;
}

/** Every planted-bug design, by file name. A module without `planted` is a helper. */
export async function loadPlanted(): Promise<PlantedDesign[]> {
  const found: PlantedDesign[] = [];
  for (const file of modulesIn(brokenDir)) {
    const mod = await importModule(brokenDir, file);
    const planted = mod['planted'] as Planted | undefined;
    if (planted === undefined) continue;
    found.push({ file, design: mod['design'] as Design, planted });
  }
  return found;
}

/** Every correct design: the modules of fixtures/designs/correct exporting `design`. */
export async function loadCorrect(): Promise<{ readonly file: string; readonly design: Design }[]> {
  const found: { file: string; design: Design }[] = [];
  for (const file of modulesIn(correctDir)) {
    const design = (await importModule(correctDir, file))['design'] as Design | undefined;
    if (design !== undefined) found.push({ file, design });
  }
  return found;
}

/** `check`'s budget for a user's design: runs per profile and the profiles, in order. */
export const userBudget = {
  runsPerProfile: defaultRunsPerProfile.user,
  profiles: defaultProfiles('user', undefined),
} as const;

/**
 * Explores `design` profile by profile on `check`'s default budget for a user's design and
 * reports whether its planted property was violated with its declared finding. Stops at
 * the first profile that catches it: `check` would report the design violated from there.
 */
export async function detect(
  entry: PlantedDesign,
  budget: { readonly runsPerProfile: number; readonly profiles: readonly ExploreProfile[] } = userBudget,
  seed = 1,
): Promise<Detection> {
  const finding = new RegExp(entry.planted.finding);
  let runs = 0;
  let otherFinding: string | undefined;
  for (const profile of budget.profiles) {
    const report = await explore(entry.design, { runs: budget.runsPerProfile, seed, profile });
    const result = report.properties.find((p) => p.id === entry.planted.property);
    const counterexample = result?.counterexample;
    if (counterexample !== undefined && finding.test(counterexample.message)) {
      return {
        caught: true,
        profile,
        runsToFirst: runs + counterexample.runsToFirstFailure,
        steps: counterexample.timeline.length,
        message: counterexample.message,
        runs: runs + report.runs,
      };
    }
    otherFinding ??= counterexample?.message;
    runs += report.runs;
  }
  return { caught: false, runs, ...(otherFinding === undefined ? {} : { otherFinding }) };
}

/** Judges a correct design as `check` judges a user's design, on every profile (swarm too). */
export async function judgeCorrect(design: Design, seed = 1): Promise<DesignResult> {
  const reports: DesignReport[] = [];
  for (const profile of exploreProfiles) {
    reports.push(await explore(design, { runs: userBudget.runsPerProfile, seed, profile }));
  }
  return judgeDesign({ name: design.name, ref: design.name, role: 'user', reports, coverageRequired: false });
}
