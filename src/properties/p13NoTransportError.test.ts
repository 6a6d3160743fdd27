import { describe, expect, it } from 'vitest';
import { p13NoTransportError } from './p13NoTransportError.ts';
import { contextFor, eventFrame, TraceBuilder } from './traceBuilder.ts';

const ctx = contextFor('handler');
const afterClose = 'Cannot call "send" once a close message has been sent.';

describe('P13 no-transport-error', () => {
  it('holds when no socket call raised a RuntimeError', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.entry('c1', 'net', 'sendFailed', {
      error: 'WebSocketDisconnect(1006)',
      errorKind: 'WebSocketDisconnect',
    });
    const verdict = p13NoTransportError.check(b.run(), ctx);
    expect(verdict.status).toBe('held');
    expect(verdict.exercised).toBe(1);
  });

  it('is violated by a RuntimeError, quoting its exact text', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.close('c1');
    const send = b.at(9).send('c1', eventFrame('e1'), 'DISCONNECTED', afterClose);
    const verdict = p13NoTransportError.check(b.run(), ctx);
    expect(verdict.steps).toEqual([send]);
    expect(verdict.message).toBe(`c1: send of websocket.send raised RuntimeError "${afterClose}" (t=9ms)`);
  });

  it('is not exercised without socket calls', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.emit('c1', 'e1');
    expect(p13NoTransportError.check(b.run(), ctx).status).toBe('not-exercised');
  });
});

describe('P13: an exception escaping a handler (real recorders)', () => {
  const handler = contextFor('handler');
  it("names the call that raised it, and says when that call was another connection's", () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.ready('c2', 'u2');
    b.entry('c1', 'app', 'handlerStarted');
    const failed = b.at(10).entry('c2', 'net', 'sendFailed', {
      message: 'websocket.send',
      error: 'no close frame received or sent',
      errorKind: 'Error',
    });
    const raised = b.entry('c1', 'app', 'handlerRaised', {
      error: 'no close frame received or sent',
      errorKind: 'Error',
      detail: { exception: 'websockets.exceptions.ConnectionClosedError', raisedBy: failed },
    });
    const verdict = p13NoTransportError.check(b.run(), handler);
    expect(verdict.steps.slice(0, 2)).toEqual([raised, failed]);
    expect(verdict.message).toBe(
      `c1: its handler raised ConnectionClosedError "no close frame received or sent", from the websocket.send on c2 (another connection) that raised at step ${failed} (t=10ms)`,
    );
  });

  it('holds when every handler returns', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.entry('c1', 'app', 'handlerStarted');
    b.entry('c1', 'app', 'handlerReturned');
    expect(p13NoTransportError.check(b.run(), handler).status).toBe('held');
  });
});
