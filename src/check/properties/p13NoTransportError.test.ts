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
