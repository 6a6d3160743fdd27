import { describe, expect, it } from 'vitest';
import { p02NoSendAfterClose } from './p02NoSendAfterClose.ts';
import { p12Isolation } from './p12Isolation.ts';
import { contextFor, eventFrame, TraceBuilder } from './traceBuilder.ts';

const ctx = contextFor('handler');

describe('P12 isolation', () => {
  it('holds when each event stays on the connection it was emitted for', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.ready('c2', 'u2');
    b.ready('c3', 'u1');
    b.emit('c1', 'e1');
    b.emit('c3', 'e2');
    b.deliver('c1', 'e1');
    b.deliver('c3', 'e2');
    const verdict = p12Isolation.check(b.run(), ctx);
    expect(verdict.status).toBe('held');
    expect(verdict.exercised).toBe(2);
  });

  it('is violated by an event reaching another tab of the same user', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.ready('c3', 'u1');
    b.emit('c1', 'e1');
    b.deliver('c1', 'e1');
    const leak = b.deliver('c3', 'e1');
    const verdict = p12Isolation.check(b.run(), ctx);
    expect(verdict.steps).toEqual([leak]);
    expect(verdict.message).toBe(
      'c3 (user u1): event e1 emitted for c1 (another connection of the same user u1) on the wire (t=0ms)',
    );
  });

  it("is violated by user u1's event on user u2's wire", () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.ready('c2', 'u2');
    b.emit('c1', 'e1');
    b.send('c2', eventFrame('e1'));
    const leak = b.wire('c2', eventFrame('e1'));
    const verdict = p12Isolation.check(b.run(), ctx);
    expect(verdict.steps).toEqual([leak]);
    expect(verdict.message).toContain('event e1 emitted for c1 (user u1)');
  });

  it('lets a broadcast reach every connection', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.ready('c2', 'u1');
    b.broadcast('b1');
    b.deliver('c1', 'b1');
    b.deliver('c2', 'b1');
    expect(p12Isolation.check(b.run(), ctx).status).toBe('held');
  });

  it("dates a handler's closing from its close() call, not from the request", () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.appClose('c1', 1000, 'agent done');
    // The emit lands between the request and the design's close(): it cannot know yet.
    b.emit('c1', 'e1');
    b.send('c1', eventFrame('e1'));
    b.closeCalled('c1', 1000, 'agent done');
    b.emit('c1', 'e2');
    expect(p12Isolation.check(b.run(), ctx).status).not.toBe('violated');
    const late = b.send('c1', eventFrame('e2'));
    const verdict = p12Isolation.check(b.run(), ctx);
    expect(verdict.steps[0]).toBe(late);
    expect(verdict.message).toContain('event e2 written to a connection closing since step');
  });

  it("dates a reducer's closing from the request, which the driver steps at once", () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    const request = b.appClose('c1', 1000, 'agent done');
    b.emit('c1', 'e1');
    const write = b.send('c1', eventFrame('e1'));
    expect(p12Isolation.check(b.run(), contextFor('reducer')).steps).toEqual([write, request]);
  });

  it("reads frames through the design's codec", () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.ready('c2', 'u2');
    b.emit('c1', 'e1');
    const leak = b.wire('c2', 'ev 1 e1');
    const codec = (text: string): { eventId: string; seq: number }[] | null => {
      const m = /^ev (\d+) (\S+)$/.exec(text);
      return m === null ? null : [{ eventId: m[2] as string, seq: Number(m[1]) }];
    };
    const withCodec = { ...ctx, design: { ...ctx.design, decodeFrame: codec } };
    expect(p12Isolation.check(b.run(), ctx).status).not.toBe('violated');
    expect(p12Isolation.check(b.run(), withCodec).steps).toEqual([leak]);
    const garbled = b.wire('c2', 'garbled');
    const unreadable = p12Isolation.check(b.run(), withCodec);
    expect(unreadable.steps).toContain(garbled);
  });

  it('is violated by a broadcast written to a connection whose close was requested', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    const request = b.appClose('c1', 1000, 'agent done');
    b.broadcast('b1');
    const write = b.send('c1', eventFrame('b1'));
    expect(p12Isolation.check(b.run(), ctx).steps).toEqual([write, request]);
  });

  it('lets frames decided before the close request drain, and ignores invalid requests', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.emit('c1', 'e1');
    b.appClose('c1');
    b.send('c1', eventFrame('e1'));
    b.appClose('c2', 1006);
    b.ready('c2', 'u1');
    b.emit('c2', 'e2');
    b.send('c2', eventFrame('e2'));
    expect(p12Isolation.check(b.run(), ctx).status).not.toBe('violated');
  });

  it('leaves a write after the connection closed to P2 (no second report of one fault)', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.ready('c2', 'u2');
    const close = b.close('c1');
    const write = b.send('c1', eventFrame('e1'), 'DISCONNECTED');
    expect(p12Isolation.check(b.run(), ctx).status).not.toBe('violated');
    expect(p02NoSendAfterClose.check(b.run(), ctx).steps).toEqual([write, close]);
  });

  it('is not exercised with one user and no emit after a close request', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.emit('c1', 'e1');
    b.deliver('c1', 'e1');
    expect(p12Isolation.check(b.run(), ctx).status).toBe('not-exercised');
  });
});

describe('P12: attribution by content (frames without an event id)', () => {
  /** c1 and c2 of two users; an emit for c1 records the text it becomes; a frame goes to `to`. */
  function run(to: string, frame: string): ReturnType<TraceBuilder['run']> {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.ready('c2', 'u2');
    b.entry('c1', 'workload', 'emit', {
      detail: { eventId: 'e1', type: 'agent_thinking', critical: false, text: '{"say": "hi u1"}' },
    });
    b.entry(to, 'net', 'wire', { message: 'websocket.send', frame });
    return b.run();
  }

  it("is violated by a frame on another connection carrying an emit's recorded content", () => {
    const verdict = p12Isolation.check(run('c2', '{"say":"hi u1"}'), ctx);
    expect(verdict.status).toBe('violated');
    expect(verdict.message).toBe(
      'c2 (user u2): a frame with the content of event e1, emitted for c1 (user u1), on the wire (t=0ms)',
    );
  });

  it('holds when that content reaches its own connection, or other content reaches the other', () => {
    expect(p12Isolation.check(run('c1', '{"say":"hi u1"}'), ctx).status).not.toBe('violated');
    expect(p12Isolation.check(run('c2', '{"say":"hi u2"}'), ctx).status).not.toBe('violated');
  });
});
