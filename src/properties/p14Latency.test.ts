import { describe, expect, it } from 'vitest';
import { p14Latency } from './p14Latency.ts';
import { contextFor, TraceBuilder } from './traceBuilder.ts';

const lan = contextFor('reducer', { profile: 'lan' });

function readyAt(b: TraceBuilder, conn: string, openT: number, readyT: number): number {
  b.at(openT).open(conn, 'u1');
  b.phase(conn, 'connecting', 'accepting');
  b.phase(conn, 'accepting', 'authenticating');
  b.phase(conn, 'authenticating', 'preparing');
  return b.at(readyT).phase(conn, 'preparing', 'ready');
}

describe('P14 latency', () => {
  it('holds when ready within 200 ms and events out within 50 ms', () => {
    const b = new TraceBuilder();
    readyAt(b, 'c1', 0, 200);
    b.at(210).emit('c1', 'e1');
    b.at(260).deliver('c1', 'e1', 1);
    const verdict = p14Latency.check(b.run(), lan);
    expect(verdict.status).toBe('held');
    expect(verdict.exercised).toBe(2);
  });

  it('is violated by a connection ready after 201 ms', () => {
    const b = new TraceBuilder();
    const ready = readyAt(b, 'c1', 10, 211);
    expect(p14Latency.check(b.run(), lan).steps).toEqual([ready, 0]);
  });

  it('is violated by an event on the wire 51 ms after its emit', () => {
    const b = new TraceBuilder();
    readyAt(b, 'c1', 0, 20);
    b.at(100).emit('c1', 'e1');
    const late = b.at(151).deliver('c1', 'e1', 1);
    const verdict = p14Latency.check(b.run(), lan);
    expect(verdict.steps).toEqual([late]);
    expect(verdict.message).toContain('51ms');
  });

  it('is violated by a connection never ready and still open, not by one closed early', () => {
    const stuck = new TraceBuilder();
    const open = stuck.open('c1', 'u1');
    expect(p14Latency.check(stuck.run(), lan).steps).toEqual([open]);
    const closed = new TraceBuilder();
    closed.open('c1', 'u1');
    closed.at(50).clientClose('c1');
    expect(p14Latency.check(closed.run(), lan).status).toBe('held');
  });

  it('does not count a late auth on a closed connection as ready (designs without phases)', () => {
    const handler = contextFor('handler', { profile: 'lan' });
    const b = new TraceBuilder();
    const open = b.open('c1', 'u1');
    b.at(20).clientClose('c1');
    b.at(300).auth('c1', true);
    expect(p14Latency.check(b.run(), handler).status).toBe('held');
    const late = new TraceBuilder();
    late.open('c1', 'u1');
    const auth = late.at(300).auth('c1', true);
    expect(p14Latency.check(late.run(), handler).steps).toEqual([auth, open]);
  });

  it('is not applicable outside the lan profile', () => {
    const b = new TraceBuilder();
    readyAt(b, 'c1', 0, 900);
    const verdict = p14Latency.check(b.run(), contextFor('reducer', { profile: 'cloud-run' }));
    expect(verdict.status).toBe('not-applicable');
  });

  it('is not exercised on a lan run that opened nothing', () => {
    expect(p14Latency.check(new TraceBuilder().run(), lan).status).toBe('not-exercised');
  });
});

describe('P14 latency of a real app (readyOnAccept: no phase, no auth)', () => {
  const app = { design: { name: 'app', kind: 'handler', readyOnAccept: true }, profile: 'lan' } as const;

  function acceptedAt(t: number): TraceBuilder {
    const b = new TraceBuilder();
    b.at(0).open('c1', 'u1');
    b.at(t).accept('c1');
    b.entry('c1', 'net', 'wire', { message: 'websocket.accept' });
    return b;
  }

  it('holds when the accept is on the wire within 200 ms', () => {
    expect(p14Latency.check(acceptedAt(150).run(), app).status).toBe('held');
  });

  it('is violated when the accept reaches the wire 201 ms after open', () => {
    const verdict = p14Latency.check(acceptedAt(201).run(), app);
    expect(verdict.status).toBe('violated');
    expect(verdict.message).toContain('ready 201ms after open');
  });

  it('is violated by a connection never accepted', () => {
    const b = new TraceBuilder();
    b.at(0).open('c1', 'u1');
    b.at(300).settled({ c1: 'connecting' });
    expect(p14Latency.check(b.run(), app).message).toContain('never ready');
  });
});
