/**
 * The single source of every nondeterministic decision in a run: latencies, faults and
 * the interleaving of same-time tasks. Decisions are data, so a run can be replayed from
 * the recorded choices and shrunk towards zeros (minimum latency, no fault, FIFO order).
 */
import { faultStream } from './faultTable.ts';
import { Prng } from './prng.ts';

/** One in a million: the unit of every fault probability (integers only). */
export const perMillionScale = 1_000_000;

/** Which PRNG sub-stream answers a label, so subsystems do not shift one another. */
function subsystemOf(label: string): string {
  const fault = faultStream(label);
  if (fault !== undefined) return fault;
  switch (label) {
    case 'hop':
    case 'latency':
    case 'handshake':
      return 'network';
    case 'authDelay':
    case 'prepareDelay':
    case 'pongDelay':
      return 'faults';
    // Their own stream: a profile that turns reader stalls on leaves every other draw as it was.
    case 'readStallMs':
      return 'reader';
    default:
      return 'workload';
  }
}

/** Draws of a seeded PRNG, one sub-stream per subsystem (see `subsystemOf`). */
function seededSource(seed: number): (label: string, maxInclusive: number) => number {
  const root = Prng.fromSeed(seed);
  const streams = new Map<string, Prng>();
  return (label, maxInclusive) => {
    const name = subsystemOf(label);
    let stream = streams.get(name);
    if (stream === undefined) {
      stream = root.derive(name);
      streams.set(name, stream);
    }
    return stream.below(maxInclusive + 1);
  };
}

/** How often one fault predicate was asked and how often it fired (the census reads it). */
export interface ChanceCount {
  asked: number;
  fired: number;
  /** Sum of the rates asked, per million: `expected / 1e6` fires were due. */
  expected: number;
}

/**
 * Answers `choose(label, max)` and `chance(label, perMillion)`. Every answer is also
 * recorded in `taken`, so `Chooser.fromChoices(chooser.taken)` replays the same run.
 *
 * @example
 * const chooser = Chooser.fromChoices([3, 0, 7]);
 * chooser.choose('latency', 4); // 3
 * chooser.chance('abrupt', 0);  // false, and reads nothing
 */
export class Chooser {
  /** Every value returned so far, in order: a replayable choice sequence. */
  readonly taken: number[] = [];
  /** Per fault label, how often `chance` was asked with a non-zero rate and how often it fired. */
  readonly chances = new Map<string, ChanceCount>();
  private readonly source: (label: string, maxInclusive: number) => number;

  private constructor(source: (label: string, maxInclusive: number) => number) {
    this.source = source;
  }

  /**
   * A chooser reading `choices[k] % (max + 1)` in order, and 0 once they run out. Shorter
   * arrays and smaller numbers mean less latency, fewer faults and FIFO order.
   */
  static fromChoices(choices: readonly number[]): Chooser {
    return Chooser.fromScenario(choices, null);
  }

  /**
   * A scenario's chooser: `choices` first (each read as `choices[k] % (max + 1)`), then,
   * once they run out, the seeded stream of `tailSeed`, so every fault keeps firing at its
   * rate however long the run is; with `tailSeed` null every further choice is 0 (the calm
   * tail shrinking moves towards: minimum latency, no fault, FIFO order).
   *
   * @example
   * const chooser = Chooser.fromScenario([3], 7);
   * chooser.choose('latency', 9); // 3, then draws of seed 7's streams
   */
  static fromScenario(choices: readonly number[], tailSeed: number | null | undefined): Chooser {
    const tail = tailSeed === null || tailSeed === undefined ? null : seededSource(tailSeed);
    let next = 0;
    return new Chooser((label, maxInclusive) => {
      const raw = choices[next];
      next += 1;
      if (raw === undefined) return tail === null ? 0 : tail(label, maxInclusive);
      const value = Math.abs(Math.trunc(raw));
      return Number.isFinite(value) ? value % (maxInclusive + 1) : 0;
    });
  }

  /** A chooser backed by the seeded PRNG, one sub-stream per subsystem. */
  static fromSeed(seed: number): Chooser {
    return new Chooser(seededSource(seed));
  }

  /** An integer in 0..maxInclusive (mutates the chooser; reads nothing when max is 0). */
  choose(label: string, maxInclusive: number): number {
    if (!Number.isInteger(maxInclusive) || maxInclusive < 0) {
      throw new RangeError(
        `Chooser.choose(${label}): max must be a non-negative integer, got ${maxInclusive}`,
      );
    }
    // A decision with one possible answer is no decision: reading nothing keeps the number
    // of choices per run small, so shrinking has less to chew on.
    if (maxInclusive === 0) return 0;
    const value = this.source(label, maxInclusive);
    this.taken.push(value);
    return value;
  }

  /**
   * True with probability perMillion / 1e6. A choice of 0 means "no": the fault fires only
   * for the top `perMillion` values, so choices shrunk to zero remove faults.
   */
  chance(label: string, perMillion: number): boolean {
    if (perMillion <= 0) return false;
    const fired =
      perMillion >= perMillionScale ||
      this.choose(label, perMillionScale - 1) >= perMillionScale - perMillion;
    let count = this.chances.get(label);
    if (count === undefined) {
      count = { asked: 0, fired: 0, expected: 0 };
      this.chances.set(label, count);
    }
    count.asked += 1;
    count.expected += Math.min(perMillion, perMillionScale);
    if (fired) count.fired += 1;
    return fired;
  }
}
