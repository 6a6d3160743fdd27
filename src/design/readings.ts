/**
 * Readings as data. Where a seed document leaves a construct open (a method body it never
 * shows, an order two of its sections disagree on), its port names every plausible reading
 * as an option of an axis, each option citing the seed sentence it rests on. `check` runs
 * the port under each reading and tells a violation found under every reading (robust) from
 * one that needs a particular reading (reading-dependent). Pure.
 */
import type { DesignEnv, DesignPaths, DesignServer, HandlerDesign } from '../sim/types.ts';

/** One way to read an open construct, and the seed sentence it rests on. */
export interface ReadingOption {
  readonly value: string;
  /** Seed file, section and the quoted sentence, e.g. `seed 000 §4.2: "Batch events for high-throughput scenarios"`. */
  readonly cites: string;
}

/** One open construct of a seed document and its plausible readings. */
export interface ReadingAxis {
  readonly name: string;
  /** What the seed leaves open, in one line. */
  readonly question: string;
  readonly options: readonly ReadingOption[];
  /** The bundled reading: the most charitable one (the one that should show fewest flaws). */
  readonly default: string;
}

/** The open constructs of one port. */
export type ReadingSpace = readonly ReadingAxis[];

/** One value per axis of a `ReadingSpace`. */
export type Reading = Readonly<Record<string, string>>;

/** What a seed port exports besides its default `design`: the space and a design per reading. */
export interface SeedPort {
  readonly readings: ReadingSpace;
  design(reading: Reading): HandlerDesign;
}

/**
 * Most readings `readingsToRun` explores by full combination; above it a covering set is
 * used. Eight keeps `npm run check` on the bundled ports within its budget (seed-000 and
 * seed-001 have exactly eight combinations).
 */
export const maxCombinations = 8;

/** The bundled reading of a space: every axis at its default. Pure. */
export function defaultReading(space: ReadingSpace): Reading {
  return Object.fromEntries(space.map((axis) => [axis.name, axis.default]));
}

/** `send=direct,cleanup=locked`: a reading as a stable label (axis order). Pure. */
export function readingLabel(space: ReadingSpace, reading: Reading): string {
  if (space.length === 0) return '(single reading)';
  return space.map((axis) => `${axis.name}=${reading[axis.name] ?? axis.default}`).join(',');
}

/**
 * The readings `check` explores, the bundled default first. Every combination when there are
 * at most `limit`; otherwise a covering set: the default, then each non-default option alone
 * with every other axis at its default (one factor at a time), so every option is explored
 * but interactions between two non-default options are not. Pure.
 *
 * @example
 * readingsToRun(seed000.readings).length; // 8
 */
export function readingsToRun(space: ReadingSpace, limit = maxCombinations): Reading[] {
  const base = defaultReading(space);
  const total = space.reduce((n, axis) => n * axis.options.length, 1);
  if (total <= limit) {
    let all: Record<string, string>[] = [{}];
    for (const axis of space) {
      all = all.flatMap((partial) => axis.options.map((o) => ({ ...partial, [axis.name]: o.value })));
    }
    const key = (r: Reading): string => readingLabel(space, r);
    const baseKey = key(base);
    return [base, ...all.filter((r) => key(r) !== baseKey)];
  }
  const covering: Reading[] = [base];
  for (const axis of space) {
    for (const option of axis.options) {
      if (option.value !== axis.default) covering.push({ ...base, [axis.name]: option.value });
    }
  }
  return covering;
}

/**
 * Whether `reading` has every `axis=value` of `options` (an empty list matches every
 * reading). Pure.
 *
 * @example
 * readingMatches({ send: 'batched', cleanup: 'locked' }, ['send=batched']); // true
 */
export function readingMatches(reading: Reading, options: readonly string[]): boolean {
  return options.every((option) => {
    const [axis, value] = option.split('=');
    return axis !== undefined && reading[axis] === value;
  });
}

/**
 * Validates that every `axis=value` names an option of `space`; returns the first bad one,
 * or null. Pure.
 */
export function unknownOption(space: ReadingSpace, options: readonly string[]): string | null {
  for (const option of options) {
    const [axis, value] = option.split('=');
    const found = space.find((a) => a.name === axis)?.options.some((o) => o.value === value);
    if (found !== true) return option;
  }
  return null;
}

/**
 * Whether a module export is a `SeedPort` (shape check). Pure.
 *
 * @example
 * isSeedPort({ readings: [], design: () => design }); // true
 */
export function isSeedPort(v: unknown): v is SeedPort {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  return Array.isArray(p['readings']) && typeof p['design'] === 'function';
}

/**
 * A port from its reading space and a `create` that takes the reading: one design per
 * reading, named `name`, and the bundled `design` (the default reading). Pure.
 *
 * @example
 * export const { port, design } = handlerPort('naive', readings, (env, reading) => create(env, reading));
 */
export function handlerPort(
  name: string,
  readings: ReadingSpace,
  create: (env: DesignEnv, reading: Reading) => DesignServer,
  phaseAliases?: HandlerDesign['phaseAliases'],
  paths?: DesignPaths,
): { readonly port: SeedPort; readonly design: HandlerDesign } {
  const design = (reading: Reading): HandlerDesign => ({
    kind: 'handler',
    name,
    ...(phaseAliases === undefined ? {} : { phaseAliases }),
    // Every reading declares the same paths, so the report can say under which ones each ran.
    ...(paths === undefined ? {} : { paths }),
    create: (env: DesignEnv) => create(env, reading),
  });
  return { port: { readings, design }, design: design(defaultReading(readings)) };
}
