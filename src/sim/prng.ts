/**
 * Seeded integer-only PRNG (sfc32 on uint32) with named sub-streams, so each subsystem
 * (network, workload, faults) draws from its own sequence: adding a draw in one subsystem
 * does not shift the others.
 */

/** FNV-1a over the UTF-16 code units of `text`, as uint32: pure. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let k = 0; k < text.length; k++) {
    hash ^= text.charCodeAt(k);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * A small fast counter PRNG (sfc32). Every draw is a uint32; there are no floats in any
 * decision, so results do not depend on floating-point rounding.
 *
 * @example
 * const rng = Prng.fromSeed(42);
 * const network = rng.derive('network');
 * network.below(10); // an integer in 0..9
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private readonly seed: number;

  private constructor(seed: number, salt: number) {
    this.seed = seed >>> 0;
    this.a = salt >>> 0;
    this.b = this.seed;
    this.c = (this.seed ^ 0x9e3779b9) >>> 0;
    this.d = 1;
    // The first outputs of sfc32 are poorly mixed; discard them as its author recommends.
    for (let k = 0; k < 15; k++) this.nextUint32();
  }

  /** A generator for a root seed (any integer; taken modulo 2^32). Pure constructor. */
  static fromSeed(seed: number): Prng {
    return new Prng(seed, 0);
  }

  /** An independent generator for a named subsystem of the same root seed. Pure. */
  derive(name: string): Prng {
    return new Prng((this.seed ^ fnv1a(name)) >>> 0, fnv1a(`salt:${name}`));
  }

  /** The next uint32 (mutates the generator). */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /**
   * An integer in 0..bound-1 without modulo bias (rejection sampling); bound must be in
   * 1..2^32. Mutates the generator.
   */
  below(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound > 0x1_0000_0000) {
      throw new RangeError(`Prng.below: bound must be an integer in 1..2^32, got ${bound}`);
    }
    if (bound === 1) return 0;
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % bound);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % bound;
    }
  }
}
