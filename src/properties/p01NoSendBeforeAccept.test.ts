import { describe, expect, it } from 'vitest';
import { p01NoSendBeforeAccept } from './p01NoSendBeforeAccept.ts';
import { contextFor, eventFrame, TraceBuilder } from './traceBuilder.ts';

const ctx = contextFor('handler');
const notAccepted =
  'Expected ASGI message "websocket.accept", "websocket.close" or "websocket.http.response.start", but got \'websocket.send\'';

describe('P1 no-send-before-accept', () => {
  it('holds when the send comes after the accept completed', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.emit('c1', 'e1');
    b.accept('c1');
    b.send('c1', eventFrame('e1'));
    const verdict = p01NoSendBeforeAccept.check(b.run(), ctx);
    expect(verdict.status).toBe('held');
    expect(verdict.exercised).toBe(1);
  });

  it('is violated by a send while the application state is CONNECTING, at that step', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.at(75).emit('c1', 'e1');
    const send = b.send('c1', eventFrame('e1'), 'CONNECTING', notAccepted);
    b.at(100).accept('c1');
    const verdict = p01NoSendBeforeAccept.check(b.run(), ctx);
    expect(verdict.status).toBe('violated');
    expect(verdict.steps).toEqual([send]);
    expect(verdict.message).toContain(
      'c1: send of websocket.send while applicationState CONNECTING (t=75ms)',
    );
  });

  it('does not count an accept that raised as completed', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.accept('c1', 'boom');
    const send = b.send('c1', eventFrame('e1'), 'CONNECTING');
    expect(p01NoSendBeforeAccept.check(b.run(), ctx).steps).toEqual([send]);
  });

  it('is not exercised when nothing is sent or emitted before an accept', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.accept('c1');
    b.emit('c1', 'e1');
    b.send('c1', eventFrame('e1'));
    expect(p01NoSendBeforeAccept.check(b.run(), ctx).status).toBe('not-exercised');
  });

  it('judges each connection by its own accept', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.open('c2', 'u2');
    b.accept('c1');
    const send = b.send('c2', eventFrame('e1'), 'CONNECTING');
    expect(p01NoSendBeforeAccept.check(b.run(), ctx).steps).toEqual([send]);
  });
});
