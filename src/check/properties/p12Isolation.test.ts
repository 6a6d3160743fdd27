import { describe, expect, it } from 'vitest';
import { p12Isolation } from './p12Isolation.ts';
import { contextFor, eventFrame, TraceBuilder } from './traceBuilder.ts';

const ctx = contextFor('handler');

describe('P12 isolation', () => {
  it("holds when each user's events stay on that user's connections", () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.ready('c2', 'u2');
    b.ready('c3', 'u1');
    b.emit('c1', 'e1');
    b.deliver('c1', 'e1');
    b.deliver('c3', 'e1');
    const verdict = p12Isolation.check(b.run(), ctx);
    expect(verdict.status).toBe('held');
    expect(verdict.exercised).toBe(2);
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
    expect(verdict.message).toContain('event e1 for user u1 (c1)');
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

  it('is violated by a write after the connection closed', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    const close = b.close('c1');
    const write = b.send('c1', eventFrame('e1'), 'DISCONNECTED');
    expect(p12Isolation.check(b.run(), ctx).steps).toEqual([write, close]);
  });

  it('is not exercised with one user and no emit after a close request', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.emit('c1', 'e1');
    b.deliver('c1', 'e1');
    expect(p12Isolation.check(b.run(), ctx).status).toBe('not-exercised');
  });
});
