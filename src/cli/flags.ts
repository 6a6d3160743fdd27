/**
 * Flag value parsing shared by the commands. Every bad value becomes a `UsageError` whose
 * message says what was wrong and what to pass instead.
 */
import { exploreProfiles, type ExploreProfile } from '../explore/scenarioArb.ts';
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
export function intFlag(
  name: string,
  value: string,
  bounds: { readonly min: number; readonly max?: number },
): number {
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

/** Most generated runs `--runs` accepts per profile: beyond it a check would run for days. */
export const maxRuns = 10_000_000;

/** The 32-bit range fast-check seeds live in. */
export const seedBounds = { min: -2147483648, max: 2147483647 } as const;

/**
 * Parses `--seed`: a 32-bit integer, or `random` (a seed drawn with `draw`, which the
 * command prints so the run can be repeated). Pure given `draw`.
 *
 * @throws UsageError on anything else.
 * @example
 * seedFlag('42', () => 0); // { seed: 42, drawn: false }
 */
export function seedFlag(value: string, draw: () => number): { seed: number; drawn: boolean } {
  if (value === 'random') return { seed: draw(), drawn: true };
  return { seed: intFlag('seed', value, seedBounds), drawn: false };
}

/**
 * Parses every `--profile` value: each may list several, comma-separated (`lan,hostile`);
 * repeated flags add up, in order, each profile once. Pure.
 *
 * @throws UsageError on an unknown or empty profile.
 * @example
 * profilesFlag(['lan,hostile', 'lan']); // ['lan', 'hostile']
 */
export function profilesFlag(values: readonly string[]): ExploreProfile[] {
  const out: ExploreProfile[] = [];
  for (const name of values.flatMap((v) => v.split(',')).map((v) => v.trim())) {
    if (name === '') throw new UsageError(`--profile has an empty name; pass e.g. --profile lan,hostile`);
    const p = profileFlag(name);
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

/** The kinds of report `--report` writes. */
export type ReportKind = 'json' | 'junit' | 'tap' | 'github' | 'html';

/** One `--report`: its kind and file, or null for stdout (`github` only). */
export interface ReportRequest {
  readonly kind: ReportKind;
  readonly file: string | null;
}

/**
 * Parses every `--report KIND=FILE` (`json`, `junit`, `tap`, `github`, `html`) or `--report github`
 * (stdout). Pure.
 *
 * @throws UsageError on a bad form, an unknown kind or a kind given twice.
 * @example
 * reportFlag(['json=out/report.json', 'github']); // [{ kind: 'json', file: 'out/report.json' }, { kind: 'github', file: null }]
 */
export function reportFlag(values: readonly string[]): ReportRequest[] {
  const out: ReportRequest[] = [];
  for (const v of values) {
    const m = /^(json|junit|tap|github|html)=(.+)$/.exec(v) ?? /^(github)$/.exec(v);
    if (m === null) {
      throw new UsageError(
        `--report must be json=FILE, junit=FILE, tap=FILE, html=FILE, github or github=FILE, got "${v}"; pass e.g. --report html=out/report.html`,
      );
    }
    const kind = m[1] as ReportKind;
    if (out.some((r) => r.kind === kind))
      throw new UsageError(`--report ${kind}= is given twice; pass one file per kind`);
    out.push({ kind, file: m[2] ?? null });
  }
  return out;
}
