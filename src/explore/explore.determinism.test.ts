import { describe, expect, it } from 'vitest';
import { design as coinFlip } from '../../fixtures/designs/nondeterministic/coin-flip.ts';
import { reference } from '../designs/reference.ts';
import { explore } from './explore.ts';

// Every run is sampled: the coin shows only where backpressure does, so a sparse sample could miss it.
const options = { runs: 64, seed: 7, profile: 'lan', determinismEvery: 1 } as const;

describe('explore samples determinism on passing runs', () => {
  it('catches a design deciding by Math.random although it violates nothing', async () => {
    const report = await explore(coinFlip, options);
    expect(report.properties.filter((p) => p.status === 'violated')).toEqual([]);
    expect(report.determinismFailures).toHaveLength(1);
    expect(report.determinismFailures[0]).toMatchObject({ sampled: true, profile: 'lan', seed: 7 });
    expect(report.determinismFailures[0]?.firstDifference).toBeGreaterThan(0);
  });

  it('finds nothing on the reference, and nothing when the sampling is off', async () => {
    expect((await explore(reference, options)).determinismFailures).toEqual([]);
    expect((await explore(coinFlip, { ...options, determinismEvery: 0 })).determinismFailures).toEqual([]);
  });
});
