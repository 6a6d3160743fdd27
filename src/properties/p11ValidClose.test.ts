import { describe, expect, it } from 'vitest';
import { p11ValidClose } from './p11ValidClose.ts';
import { contextFor, TraceBuilder } from './traceBuilder.ts';

const ctx = contextFor('handler');

describe('P11 valid-close', () => {
  it('holds for allowed codes and a 123-byte reason, one close frame each', () => {
    const b = new TraceBuilder();
    for (const [conn, code] of [
      ['c1', 1000],
      ['c2', 1008],
      ['c3', 1011],
      ['c4', 4999],
    ] as const) {
      b.close(conn, code, 'é'.repeat(61) + 'x');
      b.wireClose(conn, code);
    }
    const verdict = p11ValidClose.check(b.run(), ctx);
    expect(verdict.status).toBe('held');
    expect(verdict.exercised).toBe(4);
  });

  it.each([1004, 1005, 1006, 1015, 999, 2000, 5000])('is violated by close code %i', (code) => {
    const b = new TraceBuilder();
    b.close('c1');
    const bad = b.close('c2', code);
    const verdict = p11ValidClose.check(b.run(), ctx);
    expect(verdict.status).toBe('violated');
    expect(verdict.steps).toEqual([bad]);
    expect(verdict.message).toContain(String(code));
  });

  it('is violated by a reason of 124 bytes of UTF-8', () => {
    const b = new TraceBuilder();
    const long = b.close('c1', 1000, 'é'.repeat(62));
    expect(p11ValidClose.check(b.run(), ctx).steps).toEqual([long]);
  });

  it('is violated by a second close frame on one connection', () => {
    const b = new TraceBuilder();
    const first = b.wireClose('c1');
    b.wireClose('c2');
    const second = b.wireClose('c1');
    expect(p11ValidClose.check(b.run(), ctx).steps).toEqual([second, first]);
  });

  it('is not exercised when no close is attempted', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.clientClose('c1');
    expect(p11ValidClose.check(b.run(), ctx).status).toBe('not-exercised');
  });
});
