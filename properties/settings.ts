/**
 * Settings shared by the property suites: the pinned seed (env WS_LIFECYCLE_SEED, default 1,
 * printed in every suite title) and the run budget (env WS_LIFECYCLE_RUNS).
 */
import { env } from 'node:process';
import { fileURLToPath } from 'node:url';

function intFromEnv(name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, got "${raw}"`);
  return n;
}

/** The seed every suite explores from; CI pins it, a developer may vary it. */
export const suiteSeed = intFromEnv('WS_LIFECYCLE_SEED', 1);

/**
 * Generated runs per profile for the reference suite. Chosen so the suite stays under
 * ~60 s on 2 cores; raise it locally (WS_LIFECYCLE_RUNS=20000) for a deeper search.
 */
export const referenceRunsPerProfile = intFromEnv('WS_LIFECYCLE_RUNS', 3000);

/** Where found counterexamples are saved, to be replayed by corpus.test.ts forever after. */
export const corpusDir = fileURLToPath(new URL('../fixtures/counterexamples/', import.meta.url));
