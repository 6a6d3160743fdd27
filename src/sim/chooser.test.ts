import { describe, expect, it } from 'vitest';
import { Chooser } from './chooser.ts';
import { Prng } from './prng.ts';

describe('Prng', () => {
  it('is deterministic per seed and differs across seeds and sub-streams', () => {
    const draw = (rng: Prng) => Array.from({ length: 8 }, () => rng.nextUint32());
    expect(draw(Prng.fromSeed(1))).toEqual(draw(Prng.fromSeed(1)));
    expect(draw(Prng.fromSeed(1))).not.toEqual(draw(Prng.fromSeed(2)));
    const root = Prng.fromSeed(1);
    expect(draw(root.derive('network'))).not.toEqual(draw(root.derive('faults')));
    expect(draw(root.derive('network'))).toEqual(draw(Prng.fromSeed(1).derive('network')));
  });

  it('below(n) stays in 0..n-1 and hits every value', () => {
    const rng = Prng.fromSeed(99);
    const seen = new Set<number>();
    for (let k = 0; k < 2000; k++) {
      const x = rng.below(7);
      expect(Number.isInteger(x) && x >= 0 && x < 7).toBe(true);
      seen.add(x);
    }
    expect(seen.size).toBe(7);
    expect(() => rng.below(0)).toThrow(RangeError);
  });
});

describe('Chooser', () => {
  it('fromChoices reads choices[k] % (max+1) in order, then 0', () => {
    const chooser = Chooser.fromChoices([7, 3, 10]);
    expect(chooser.choose('x', 4)).toBe(2);
    expect(chooser.choose('x', 9)).toBe(3);
    expect(chooser.choose('x', 10)).toBe(10);
    expect(chooser.choose('x', 10)).toBe(0);
    expect(chooser.taken).toEqual([2, 3, 10, 0]);
  });

  it('a max of 0 reads nothing; a zero rate reads nothing and is false', () => {
    const chooser = Chooser.fromChoices([5]);
    expect(chooser.choose('x', 0)).toBe(0);
    expect(chooser.chance('fault', 0)).toBe(false);
    expect(chooser.choose('x', 9)).toBe(5);
  });

  it('chance: choice 0 means no fault; the top perMillion values mean a fault', () => {
    expect(Chooser.fromChoices([0]).chance('f', 500_000)).toBe(false);
    expect(Chooser.fromChoices([999_999]).chance('f', 1)).toBe(true);
    expect(Chooser.fromChoices([999_998]).chance('f', 1)).toBe(false);
    expect(Chooser.fromChoices([]).chance('f', 1_000_000)).toBe(true);
  });

  it('fromSeed is reproducible and replayable through taken', () => {
    const a = Chooser.fromSeed(5);
    const values = [a.choose('latency', 100), a.choose('hop', 2), a.choose('authDelay', 300)];
    const b = Chooser.fromSeed(5);
    expect([b.choose('latency', 100), b.choose('hop', 2), b.choose('authDelay', 300)]).toEqual(values);
    const replay = Chooser.fromChoices(a.taken);
    expect([replay.choose('latency', 100), replay.choose('hop', 2), replay.choose('authDelay', 300)]).toEqual(
      values,
    );
  });
});
