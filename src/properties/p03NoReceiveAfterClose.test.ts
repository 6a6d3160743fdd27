import { describe, expect, it } from 'vitest';
import { p03NoReceiveAfterClose } from './p03NoReceiveAfterClose.ts';
import { contextFor, TraceBuilder } from './traceBuilder.ts';

const ctx = contextFor('handler');
const needAccept = 'WebSocket is not connected. Need to call "accept" first.';

describe('P3 no-receive-after-close', () => {
  it('holds when the receive loop stops at the close', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.receive('c1');
    b.receivedDisconnect('c1');
    const verdict = p03NoReceiveAfterClose.check(b.run(), ctx);
    expect(verdict.status).toBe('held');
    expect(verdict.exercised).toBe(1);
  });

  it("is violated by a receive after the app's own close, with the Starlette error", () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.receive('c1');
    b.close('c1');
    const late = b.at(3).receive('c1', 'DISCONNECTED', needAccept);
    const verdict = p03NoReceiveAfterClose.check(b.run(), ctx);
    expect(verdict.status).toBe('violated');
    expect(verdict.steps).toEqual([late]);
    expect(verdict.message).toContain(needAccept);
  });

  it('is violated by receiveText before accept (it raises)', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    const early = b.receive('c1', 'CONNECTING', needAccept);
    expect(p03NoReceiveAfterClose.check(b.run(), ctx).steps).toEqual([early]);
  });

  it("does not count accept()'s own receive of websocket.connect", () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.receive('c1', 'CONNECTING');
    b.accept('c1');
    b.clientClose('c1');
    expect(p03NoReceiveAfterClose.check(b.run(), ctx).status).toBe('held');
  });

  it('is not exercised without a close, or without a receive loop', () => {
    const noClose = new TraceBuilder();
    noClose.ready('c1', 'u1');
    noClose.receive('c1');
    expect(p03NoReceiveAfterClose.check(noClose.run(), ctx).status).toBe('not-exercised');
    const noLoop = new TraceBuilder();
    noLoop.ready('c1', 'u1');
    noLoop.close('c1');
    expect(p03NoReceiveAfterClose.check(noLoop.run(), ctx).status).toBe('not-exercised');
  });
});
