import { describe, expect, it } from 'vitest';
import { p09BoundedBuffer } from './p09BoundedBuffer.ts';
import { contextFor, TraceBuilder } from './traceBuilder.ts';

const ctx = contextFor('reducer');
const handler = contextFor('handler');

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

  it('is not applicable when no event was emitted and the design reports no buffer', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    expect(p09BoundedBuffer.check(b.run(), ctx).status).toBe('not-applicable');
  });
});

describe('P9 bounded-buffer, counted from the trace', () => {
  /** A handler that takes `burst` emits at t=1, refuses `refused` of them at once, sends the rest at t=50. */
  function burst(size: number, refused: number): ReturnType<TraceBuilder['run']> {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.accept('c1');
    b.at(1);
    for (let k = 0; k < size; k++) b.emit('c1', `e${k}`);
    for (let k = 0; k < refused; k++) b.emitReturned('c1', `e${size - 1 - k}`, 'false');
    b.at(50);
    for (let k = 0; k < size - refused; k++) b.deliver('c1', `e${k}`, k + 1);
    return b.run();
  }

  it('holds for a design that keeps the capacity and refuses the rest within the instant', () => {
    const verdict = p09BoundedBuffer.check(burst(12, 4), handler);
    expect(verdict.status).toBe('held');
    expect(verdict.exercised).toBe(12);
  });

  it('is violated by a design that reports no buffer and holds more than the capacity', () => {
    const verdict = p09BoundedBuffer.check(burst(12, 3), handler);
    expect(verdict.status).toBe('violated');
    expect(verdict.message).toBe(
      'c1: the design held 9 events not yet sent, capacity 8; the design reports no buffer, so it is judged against the run capacity (t=50ms)',
    );
  });

  it('is violated when the trace shows more than the design reports', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.at(1);
    for (let k = 0; k < 9; k++) b.emit('c1', `e${k}`);
    b.buffer('c1', 4, 8);
    const end = b.at(2).entry(null, 'harness', 'settled', { detail: { phases: {} } });
    const verdict = p09BoundedBuffer.check(b.run(), handler);
    expect(verdict.steps).toEqual([end]);
    expect(verdict.message).toContain('the design held 9 events not yet sent, capacity 8 (t=2ms)');
  });

  it("allows a reducer design the core's send window on top of its capacity", () => {
    const run = (size: number): ReturnType<TraceBuilder['run']> => {
      const b = new TraceBuilder();
      b.open('c1', 'u1');
      b.at(1);
      for (let k = 0; k < size; k++) b.emit('c1', `e${k}`);
      b.at(2).entry(null, 'harness', 'settled', { detail: { phases: {} } });
      return b.run();
    };
    expect(p09BoundedBuffer.check(run(12), ctx).status).toBe('held');
    expect(p09BoundedBuffer.check(run(13), ctx).message).toContain(
      "the design held 13 events not yet sent, capacity 8 + the core's send window = 12",
    );
  });

  it('stops counting a connection once it closed (what it still held is P7 business)', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.at(1);
    for (let k = 0; k < 9; k++) b.emit('c1', `e${k}`);
    b.close('c1', 1000);
    b.at(2).entry(null, 'harness', 'settled', { detail: { phases: {} } });
    expect(p09BoundedBuffer.check(b.run(), handler).status).toBe('held');
  });
});
