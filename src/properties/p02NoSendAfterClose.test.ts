import { describe, expect, it } from 'vitest';
import { p02NoSendAfterClose } from './p02NoSendAfterClose.ts';
import { contextFor, eventFrame, TraceBuilder } from './traceBuilder.ts';

const ctx = contextFor('handler');
const afterClose = 'Cannot call "send" once a close message has been sent.';

describe('P2 no-send-after-close', () => {
  it('holds when emits after a close are not sent', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.deliver('c1', 'e1');
    b.close('c1');
    b.emit('c1', 'e2');
    const verdict = p02NoSendAfterClose.check(b.run(), ctx);
    expect(verdict.status).toBe('held');
    expect(verdict.exercised).toBe(1);
  });

  it('is violated by a send after the app closed, pointing at the send and the close', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    const close = b.at(10).close('c1');
    const send = b.at(12).send('c1', eventFrame('e1'), 'DISCONNECTED', afterClose);
    const verdict = p02NoSendAfterClose.check(b.run(), ctx);
    expect(verdict.status).toBe('violated');
    expect(verdict.steps).toEqual([send, close]);
    expect(verdict.message).toContain(afterClose);
  });

  it('is violated by a send after websocket.disconnect was received', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    const disconnect = b.receivedDisconnect('c1');
    const send = b.send('c1', eventFrame('e1'));
    expect(p02NoSendAfterClose.check(b.run(), ctx).steps).toEqual([send, disconnect]);
  });

  it('is violated by a data frame on the wire after a close frame', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    const closeFrame = b.wireClose('c1');
    const frame = b.wire('c1', eventFrame('e1'));
    expect(p02NoSendAfterClose.check(b.run(), ctx).steps).toEqual([frame, closeFrame]);
  });

  it('is not exercised when nothing is sent or emitted after a close', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.deliver('c1', 'e1');
    b.close('c1');
    b.send('c2', eventFrame('e2'));
    expect(p02NoSendAfterClose.check(b.run(), ctx).status).toBe('not-exercised');
  });
});
