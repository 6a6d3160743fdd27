import { describe, expect, it } from 'vitest';
import { p09BoundedBuffer } from './p09BoundedBuffer.ts';
import { contextFor, TraceBuilder } from './traceBuilder.ts';

const ctx = contextFor('reducer');

describe('P9 bounded-buffer', () => {
  it('holds while the buffer stays within capacity, full included', () => {
    const b = new TraceBuilder();
    b.buffer('c1', 1, 2);
    b.buffer('c1', 2, 2);
    const verdict = p09BoundedBuffer.check(b.run(), ctx);
    expect(verdict.status).toBe('held');
    expect(verdict.exercised).toBe(2);
  });

  it('is violated by a size above capacity', () => {
    const b = new TraceBuilder();
    b.buffer('c1', 2, 2);
    const over = b.at(40).buffer('c1', 3, 2);
    const verdict = p09BoundedBuffer.check(b.run(), ctx);
    expect(verdict.steps).toEqual([over]);
    expect(verdict.message).toBe('c1: buffer holds 3 events, capacity 2 (t=40ms)');
  });

  it('is not applicable when the design reports no buffer', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    expect(p09BoundedBuffer.check(b.run(), ctx).status).toBe('not-applicable');
  });
});
