/**
 * The correct half of the planted-bug suite (fixtures/designs/broken/README.md): each design
 * under fixtures/designs/correct, written differently from the reference, must hold every
 * property on every profile, judged as `check` judges a user's design. A violation here is
 * a flaw of the design or a false alarm of a checker; either way it must be looked at.
 */
import { describe, expect, it } from 'vitest';
import { judgeCorrect, loadCorrect } from './plantedSuite.ts';

const correct = await loadCorrect();

describe('correct designs hold every property on every profile (seed 1)', () => {
  for (const { file, design } of correct) {
    it(file, async () => {
      const result = await judgeCorrect(design);
      const violated = result.properties
        .filter((p) => p.status === 'violated')
        .map((p) => `${p.id} (${p.violatedIn.join(', ')}): ${p.counterexample?.message ?? ''}`);
      expect(violated).toEqual([]);
      expect(result.determinismFailures).toEqual([]);
      expect(result.matches).toBe(true);
    });
  }
});
