/**
 * Flag value parsing shared by the commands. Every bad value becomes a `UsageError` whose
 * message says what was wrong and what to pass instead.
 */
import { exploreProfiles, type ExploreProfile } from '../check/scenarioArb.ts';
import { pythonVersions } from '../sim/python.ts';
import type { PythonVersion } from '../sim/types.ts';
import { UsageError } from './usageError.ts';

/**
 * Parses an integer flag within bounds. Pure.
 *
 * @throws UsageError when the value is not a decimal integer within [min, max].
 * @example
 * intFlag('runs', '500', { min: 1 }); // 500
 */
export function intFlag(name: string, value: string, bounds: { min: number; max?: number }): number {
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
  const n = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < bounds.min || n > max) {
    const range = bounds.max === undefined ? `>= ${bounds.min}` : `${bounds.min}..${max}`;
    throw new UsageError(
      `--${name} must be an integer ${range}, got "${value}"; pass e.g. --${name} ${bounds.min + 1}`,
    );
  }
  return n;
}

/**
 * Parses a profile name (`ideal`, `lan`, `cloud-run`, `hostile` or `swarm`). Pure.
 *
 * @throws UsageError on an unknown profile.
 * @example
 * profileFlag('lan'); // 'lan'
 */
export function profileFlag(value: string): ExploreProfile {
  const found = exploreProfiles.find((p) => p === value);
  if (found === undefined) {
    throw new UsageError(`unknown profile "${value}"; use one of ${exploreProfiles.join(', ')}`);
  }
  return found;
}

/**
 * A required string flag. Pure.
 *
 * @throws UsageError naming the missing flag.
 */
export function requiredFlag(command: string, name: string, value: string | undefined): string {
  if (value === undefined || value === '') {
    throw new UsageError(`${command} needs --${name}; see ws-lifecycle --help`);
  }
  return value;
}

/**
 * Parses a Python version (`3.11` or `3.12`) for `--python`. Pure.
 *
 * @throws UsageError on another version.
 * @example
 * pythonFlag('3.12'); // '3.12'
 */
export function pythonFlag(value: string): PythonVersion {
  const found = pythonVersions.find((v) => v === value);
  if (found === undefined)
    throw new UsageError(`unknown --python "${value}"; use one of ${pythonVersions.join(', ')}`);
  return found;
}
