import { describe, expect, it } from 'vitest';
import { p08OrderAndSeq } from './p08OrderAndSeq.ts';
import { contextFor, TraceBuilder } from './traceBuilder.ts';

const ctx = contextFor('reducer');

describe('P8 order-and-seq', () => {
  it('holds for events delivered in emit order with seq 1..n, batches included', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    for (const id of ['e1', 'e2', 'e3', 'e4']) b.emit('c1', id);
    b.deliver('c1', 'e1', 1);
    b.wire('c1', {
      kind: 'batch',
      events: [
        { seq: 2, event: { id: 'e2', type: 't', payload: { eventId: 'e2' } } },
        { seq: 3, event: { id: 'e3', type: 't', payload: { eventId: 'e3' } } },
      ],
    });
    b.deliver('c1', 'e4', 4);
    const verdict = p08OrderAndSeq.check(b.run(), ctx);
    expect(verdict.status).toBe('held');
    expect(verdict.exercised).toBe(3);
  });

  it('is violated when a later event overtakes an earlier one', () => {
    const b = new TraceBuilder();
    b.emit('c1', 'e1');
    b.emit('c1', 'e2');
    b.wire('c1', { eventId: 'e2' });
    const late = b.wire('c1', { eventId: 'e1' });
    const verdict = p08OrderAndSeq.check(b.run(), ctx);
    expect(verdict.status).toBe('violated');
    expect(verdict.steps).toEqual([late]);
    expect(verdict.message).toContain('e1 reached the wire after e2');
  });

  it('is violated by a seq gap and by a repeated seq', () => {
    const gap = new TraceBuilder();
    gap.emit('c1', 'e1');
    gap.emit('c1', 'e2');
    gap.deliver('c1', 'e1', 1);
    const skipped = gap.deliver('c1', 'e2', 3);
    expect(p08OrderAndSeq.check(gap.run(), ctx).steps).toEqual([skipped]);
    const repeat = new TraceBuilder();
    repeat.emit('c1', 'e1');
    repeat.emit('c1', 'e2');
    repeat.deliver('c1', 'e1', 1);
    const again = repeat.deliver('c1', 'e2', 1);
    expect(p08OrderAndSeq.check(repeat.run(), ctx).message).toContain('repeats');
    expect(p08OrderAndSeq.check(repeat.run(), ctx).steps).toEqual([again]);
  });

  it('orders each connection on its own', () => {
    const b = new TraceBuilder();
    b.emit('c1', 'a1');
    b.emit('c2', 'b1');
    b.emit('c1', 'a2');
    b.deliver('c2', 'b1', 1);
    b.deliver('c1', 'a1', 1);
    b.deliver('c1', 'a2', 2);
    expect(p08OrderAndSeq.check(b.run(), ctx).status).toBe('held');
  });

  it('is not exercised with at most one delivery per connection', () => {
    const b = new TraceBuilder();
    b.emit('c1', 'e1');
    b.deliver('c1', 'e1', 1);
    expect(p08OrderAndSeq.check(b.run(), ctx).status).toBe('not-exercised');
  });

  it("reads seq through the design's codec, and reports a frame it cannot read", () => {
    const lines = (text: string): { eventId: string; seq: number }[] | null => {
      const m = /^EV (\d+) (\S+)$/.exec(text);
      return m === null ? null : [{ eventId: m[2] as string, seq: Number(m[1]) }];
    };
    const custom = { ...ctx, design: { ...ctx.design, decodeFrame: lines } };
    const b = new TraceBuilder();
    b.emit('c1', 'e1');
    b.emit('c1', 'e2');
    b.wire('c1', 'EV 1 e1');
    const gap = b.wire('c1', 'EV 3 e2');
    // The default codec sees no event and no seq in these frames.
    expect(p08OrderAndSeq.check(b.run(), ctx).status).toBe('not-exercised');
    const verdict = p08OrderAndSeq.check(b.run(), custom);
    expect(verdict.steps).toEqual([gap]);
    expect(verdict.message).toBe('c1: seq 3 where 2 was due (leaves a gap) (t=0ms)');
    const garbled = b.wire('c1', 'EV three e3');
    const unreadable = p08OrderAndSeq.check(b.run(), custom);
    expect(unreadable.steps).toContain(garbled);
    expect(unreadable.message).toContain('(+1 more)');
    const alone = new TraceBuilder();
    const only = alone.wire('c1', { kind: 'event', event: { eventId: 'e1' } });
    expect(p08OrderAndSeq.check(alone.run(), ctx).message).toBe(
      `c1: unreadable-frame at step ${only}: not a well-formed reference frame, so its events cannot be judged (t=0ms)`,
    );
  });
});
