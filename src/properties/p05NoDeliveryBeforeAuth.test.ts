import { describe, expect, it } from 'vitest';
import { p05NoDeliveryBeforeAuth } from './p05NoDeliveryBeforeAuth.ts';
import { contextFor, eventFrame, TraceBuilder } from './traceBuilder.ts';

const ctx = contextFor('handler');

describe('P5 no-delivery-before-auth', () => {
  it('holds when events emitted before auth go out after it', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.accept('c1');
    b.emit('c1', 'e1');
    b.auth('c1');
    b.deliver('c1', 'e1');
    const verdict = p05NoDeliveryBeforeAuth.check(b.run(), ctx);
    expect(verdict.status).toBe('held');
    expect(verdict.exercised).toBe(1);
  });

  it('is violated by a data frame on the wire before auth succeeded', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.accept('c1');
    b.emit('c1', 'e1');
    const frame = b.at(75).wire('c1', eventFrame('e1'));
    b.auth('c1');
    const verdict = p05NoDeliveryBeforeAuth.check(b.run(), ctx);
    expect(verdict.status).toBe('violated');
    expect(verdict.steps).toEqual([frame]);
    expect(verdict.message).toContain('event e1');
  });

  it('does not let a failed auth unlock the wire', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.auth('c1', false);
    const frame = b.wire('c1', eventFrame('e1'));
    expect(p05NoDeliveryBeforeAuth.check(b.run(), ctx).steps).toEqual([frame]);
  });

  it("does not count the handshake's websocket.accept on the wire as data", () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.accept('c1');
    b.entry('c1', 'net', 'wire', { message: 'websocket.accept' });
    b.auth('c1');
    expect(p05NoDeliveryBeforeAuth.check(b.run(), ctx).status).toBe('not-exercised');
  });

  it('is not exercised when every emit and frame comes after auth', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.emit('c1', 'e1');
    b.deliver('c1', 'e1');
    expect(p05NoDeliveryBeforeAuth.check(b.run(), ctx).status).toBe('not-exercised');
  });
});
