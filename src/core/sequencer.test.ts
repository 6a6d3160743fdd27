import { describe, expect, it } from 'vitest';
import { initialSequencer, isContiguousFromOne, takeSeq } from './sequencer.ts';
import { isValidCloseCode, isValidCloseReason, utf8ByteLength } from './closeCodes.ts';

describe('sequencer (SPEC section 6)', () => {
  it('hands out 1, 2, 3 ... with no gap and no repeat', () => {
    let sequencer = initialSequencer();
    const seqs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const taken = takeSeq(sequencer);
      seqs.push(taken.seq);
      sequencer = taken.sequencer;
    }
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
  });

  it('is pure: taking twice from the same sequencer gives the same number', () => {
    const s = initialSequencer();
    expect(takeSeq(s).seq).toBe(takeSeq(s).seq);
  });

  it('refuses a corrupted sequencer', () => {
    expect(() => takeSeq({ next: 0 })).toThrow(/corrupted/);
  });

  it('isContiguousFromOne spots gaps, repeats and a wrong start', () => {
    expect(isContiguousFromOne([1, 2, 3])).toBe(true);
    expect(isContiguousFromOne([])).toBe(true);
    expect(isContiguousFromOne([1, 3])).toBe(false);
    expect(isContiguousFromOne([1, 1])).toBe(false);
    expect(isContiguousFromOne([2])).toBe(false);
  });
});

describe('close codes and reasons (RFC 6455 section 7.4)', () => {
  it('allows 1000-1003, 1007-1014, 3000-4999 and nothing else', () => {
    const allowed: number[] = [];
    for (let code = 0; code < 6000; code++) if (isValidCloseCode(code)) allowed.push(code);
    const expected = [1000, 1001, 1002, 1003, ...Array.from({ length: 8 }, (_, i) => 1007 + i)];
    for (let code = 3000; code <= 4999; code++) expected.push(code);
    expect(allowed).toEqual(expected);
    expect(isValidCloseCode(1000.5)).toBe(false);
    expect(isValidCloseCode(Number.NaN)).toBe(false);
  });

  it('measures UTF-8 bytes like TextEncoder does', () => {
    const samples = ['', 'bye', 'é', '€', '😀', 'a\uD800b', '\uDC00', 'mixed é€😀 text'];
    for (const text of samples) expect(utf8ByteLength(text)).toBe(new TextEncoder().encode(text).length);
  });

  it('accepts a reason of 123 bytes and refuses 124', () => {
    expect(isValidCloseReason('x'.repeat(123))).toBe(true);
    expect(isValidCloseReason('x'.repeat(124))).toBe(false);
    expect(isValidCloseReason('é'.repeat(61) + 'x')).toBe(true); // 123 bytes
    expect(isValidCloseReason('é'.repeat(62))).toBe(false); // 124 bytes, 62 characters
  });
});
