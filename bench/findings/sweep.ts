/**
 * Shared loop of the findings sweeps: generated scenarios (fast-check seed 42) for each
 * profile, rewritten by the experiment, run against every seed design and checked.
 */
import fc from 'fast-check';
import { checkTrace } from '../../src/properties/checkTrace.ts';
import { contextOf } from '../../src/explore/explore.ts';
import { scenarioArb, type ExploreProfile } from '../../src/explore/scenarioArb.ts';
import { runScenario } from '../../src/sim/runScenario.ts';
import type { Design, Scenario } from '../../src/sim/types.ts';
import { design as naive } from '../../fixtures/designs/naive.ts';
import { design as seed000 } from '../../fixtures/designs/seed-000.ts';
import { design as seed001 } from '../../fixtures/designs/seed-001.ts';
import { design as seed003 } from '../../fixtures/designs/seed-003.ts';
import { design as seed004 } from '../../fixtures/designs/seed-004.ts';

/** The five seed designs, in report order. */
export const seedDesigns: readonly Design[] = [naive, seed000, seed001, seed003, seed004];

/** The profiles each sweep covers. */
export const sweepProfiles: readonly ExploreProfile[] = ['lan', 'cloud-run', 'hostile'];

/** What one design showed on one profile. */
export interface SweepRow {
  readonly design: string;
  readonly profile: ExploreProfile;
  readonly runs: number;
  /** Runs violating each property. */
  readonly violated: ReadonlyMap<string, number>;
  /** RuntimeErrors the design's socket calls raised, keyed `<socket call>: <message>`. */
  readonly runtimeErrors: ReadonlyMap<string, number>;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * Runs `runs` generated scenarios per profile, each passed through `rewrite`, against every
 * seed design. Deterministic (fixed fast-check seed); impure only in the time it takes.
 *
 * @example
 * const rows = await sweep((s) => s, 100);
 */
export async function sweep(rewrite: (s: Scenario) => Scenario, runs: number): Promise<SweepRow[]> {
  const rows: SweepRow[] = [];
  for (const design of seedDesigns) {
    for (const profile of sweepProfiles) {
      const violated = new Map<string, number>();
      const runtimeErrors = new Map<string, number>();
      for (const scenario of fc.sample(scenarioArb(profile), { seed: 42, numRuns: runs })) {
        const run = await runScenario(design, rewrite(scenario));
        for (const v of checkTrace(run, contextOf(design, profile))) {
          if (v.status === 'violated') bump(violated, v.id);
        }
        for (const e of run.trace) {
          if (e.actor === 'app' && e.errorKind === 'RuntimeError')
            bump(runtimeErrors, `${e.action}: ${e.error ?? ''}`);
        }
      }
      rows.push({ design: design.name, profile, runs, violated, runtimeErrors });
    }
  }
  return rows;
}
