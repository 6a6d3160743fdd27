import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { design as naive } from '../../fixtures/designs/naive.ts';
import { design as seed000 } from '../../fixtures/designs/seed-000.ts';
import { reference } from '../designs/reference.ts';
import type { Design } from '../sim/types.ts';
import { contextOf, explore, withPaths, type DesignReport } from './explore.ts';
import { runChunk, shrinkAt, type ChunkResult, type ChunkSubject } from './exploreChunk.ts';
import { exploreRounds, type ChunkExecutor, type Outcome } from './exploreRounds.ts';

/**
 * An executor standing for `workers` workers, in this thread: it keeps 2 x workers chunks
 * handed out and evaluates the waiting ones newest first, so chunks end out of order and
 * after a failure there are later chunks to throw away, as with real workers.
 */
function scrambled(design: Design, chunk: number, workers: number): ChunkExecutor<never> {
  const subject: ChunkSubject = { design, profile: 'lan', ctx: contextOf(design, 'lan') };
  const waiting: { run: () => Promise<void> }[] = [];
  let generation = 0;
  let draining = false;
  const drain = async (): Promise<void> => {
    if (draining) return;
    draining = true;
    for (let next = waiting.pop(); next !== undefined; next = waiting.pop()) await next.run();
    draining = false;
  };
  return {
    outstanding: () => 2 * workers,
    chunkSize: () => chunk,
    chunk: (task) =>
      new Promise<Outcome<ChunkResult, never>>((resolve) => {
        const mine = generation;
        waiting.push({
          run: async () =>
            resolve({
              ok: true,
              value: await runChunk(subject, task, { cancelled: () => generation !== mine }),
            }),
        });
        setImmediate(() => void drain());
      }),
    shrink: async (task) => ({ ok: true, value: await shrinkAt(subject, task) }),
    cancel: () => {
      generation++;
    },
  };
}

const strip = (r: DesignReport): string =>
  JSON.stringify(r, (k, v: unknown) => (k === 'elapsedMs' || k === 'msToFirstFailure' ? 0 : v));

describe('an exploration split into chunks reports what one call per round does', () => {
  it.each([
    ['naive', naive, 150],
    ['reference', reference, 120],
  ] as const)('%s: identical for chunk sizes 1, 7, 100 and 1, 2, 3 workers', async (_name, design, runs) => {
    const options = { runs, seed: 4, profile: 'lan' } as const;
    const sequential = await explore(design, options);
    if (design === naive) {
      // Several rounds: the split must end each at the same failing run.
      expect(sequential.properties.filter((p) => p.counterexample !== undefined).length).toBeGreaterThan(2);
    }
    for (const chunk of [1, 7, 100]) {
      for (const workers of [1, 2, 3]) {
        const split = await exploreRounds(
          { name: design.name, ...options, ...withPaths(design) },
          scrambled(design, chunk, workers),
        );
        if (!split.ok) throw new Error('stopped');
        expect(strip(split.value), `chunk ${chunk}, ${workers} worker(s)`).toBe(strip(sequential));
      }
    }
  });

  it('seed-000: its code path counts are identical too', async () => {
    const options = { runs: 60, seed: 2, profile: 'lan' } as const;
    const sequential = await explore(seed000, options);
    expect(sequential.paths?.length).toBeGreaterThan(0);
    const split = await exploreRounds(
      { name: seed000.name, ...options, ...withPaths(seed000) },
      scrambled(seed000, 7, 3),
    );
    if (!split.ok) throw new Error('stopped');
    expect(strip(split.value)).toBe(strip(sequential));
  });
});

describe('fast-check from a path', () => {
  // The facts the split relies on, on a property of its own: values k.. from path "k" are the
  // values a run from 0 sees there, and shrinking from path "i" reports the same path,
  // shrinks and counterexample as the call that found value i.
  const arb = fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 12 });
  const fails = (xs: number[]): boolean => xs.reduce((a, b) => a + b, 0) < 2500;

  it('gives the same values, counterexample path and shrink count', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const whole = fc.check(fc.property(arb, fails), { seed, numRuns: 200 });
      const seen: number[][] = [];
      fc.check(
        fc.property(arb, (xs) => void seen.push(xs)),
        { seed, numRuns: 200 },
      );
      const from = (k: number): number[][] => {
        const got: number[][] = [];
        fc.check(
          fc.property(arb, (xs) => void got.push(xs)),
          { seed, path: String(k), numRuns: 10 },
        );
        return got;
      };
      expect(from(37)).toEqual(seen.slice(37, 47));
      expect(whole.failed).toBe(true);
      const first = whole.counterexamplePath?.split(':')[0];
      const shrunk = fc.check(fc.property(arb, fails), { seed, path: first ?? '', numRuns: 1 });
      expect(shrunk.counterexamplePath).toBe(whole.counterexamplePath);
      expect(shrunk.numShrinks).toBe(whole.numShrinks);
      expect(shrunk.counterexample).toEqual(whole.counterexample);
    }
  });
});
