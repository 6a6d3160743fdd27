/**
 * `quiesce()` counts the system idle after `harnessQuietTurns` quiet microtask turns for
 * reducer designs (only the harness's own microtasks run) and `quietTurns` for handler
 * designs. Cut short, a step would leave microtasks behind and interleave them with the
 * next timer: this guards the headroom over the longest gap generated runs show.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import batchedByDefault from '../../fixtures/designs/broken/r-batched-by-default.ts';
import emitAlwaysThrows from '../../fixtures/designs/broken/emit-always-throws.ts';
import lockGuarded from '../../fixtures/designs/correct/lock-guarded.ts';
import seed000 from '../../fixtures/designs/seed-000.ts';
import { scenarioArb, type ExploreProfile } from '../explore/scenarioArb.ts';
import { reference } from '../designs/reference.ts';
import { runScenario } from './runScenario.ts';
import { harnessQuietTurns, quietTurns } from './simClock.ts';
import type { Design } from './types.ts';

const profiles: readonly ExploreProfile[] = ['ideal', 'lan', 'cloud-run', 'hostile', 'swarm'];

async function longestGap(design: Design): Promise<number> {
  let longest = 0;
  for (const profile of profiles) {
    for (const scenario of fc.sample(scenarioArb(profile), { numRuns: 25, seed: 11 })) {
      await runScenario(design, scenario, {
        onClock: (clock) => (longest = Math.max(longest, clock.longestQuietGap())),
      });
    }
  }
  return longest;
}

describe('quiet-turn headroom', () => {
  it('reducer designs: the harness never pauses longer than half of harnessQuietTurns', async () => {
    for (const design of [reference, batchedByDefault]) {
      const gap = await longestGap(design);
      expect(gap, design.name).toBeGreaterThan(0);
      expect(gap, design.name).toBeLessThanOrEqual(harnessQuietTurns / 2);
    }
  });

  it('handler designs: no bundled design pauses longer than a quarter of quietTurns', async () => {
    for (const design of [seed000, emitAlwaysThrows, lockGuarded]) {
      const gap = await longestGap(design);
      expect(gap, design.name).toBeGreaterThan(0);
      expect(gap, design.name).toBeLessThanOrEqual(quietTurns / 4);
    }
  });
});
