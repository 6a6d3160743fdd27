import { describe, expect, it } from 'vitest';
import { p07Accounted } from './p07Accounted.ts';
import { contextFor, eventFrame, TraceBuilder } from './traceBuilder.ts';

const reducer = contextFor('reducer');
const handler = contextFor('handler');

describe('P7 accounted', () => {
  it('holds when every reducer emit has exactly one outcome', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.emit('c1', 'e1');
    b.deliver('c1', 'e1', 1);
    b.outcome('c1', 'e1', { kind: 'delivered', seq: 1 });
    b.emit('c1', 'e2');
    b.outcome('c1', 'e2', { kind: 'undeliverable', reason: 'closed' });
    const verdict = p07Accounted.check(b.run(), reducer);
    expect(verdict.status).toBe('held');
    expect(verdict.exercised).toBe(2);
  });

  it('is violated by a reducer emit with no outcome, and by one with two', () => {
    const none = new TraceBuilder();
    const emit = none.emit('c1', 'e1');
    expect(p07Accounted.check(none.run(), reducer).steps).toEqual([emit]);
    const two = new TraceBuilder();
    const emit2 = two.emit('c1', 'e1');
    two.outcome('c1', 'e1', { kind: 'delivered', seq: 1 });
    const second = two.outcome('c1', 'e1', { kind: 'undeliverable', reason: 'closed' });
    expect(p07Accounted.check(two.run(), reducer).steps).toEqual([second, emit2]);
  });

  it('is violated by a handler emit that returned true and never reached the wire', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    const emit = b.emit('c1', 'e1');
    const returned = b.at(20).emitReturned('c1', 'e1', 'true');
    const verdict = p07Accounted.check(b.run(), handler);
    expect(verdict.status).toBe('violated');
    expect(verdict.steps).toEqual([returned, emit]);
    expect(verdict.message).toContain('lost silently');
  });

  it('holds for handler emits delivered or refused openly', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.emit('c1', 'e1');
    b.emitReturned('c1', 'e1', 'true');
    b.wire('c1', eventFrame('e1'));
    b.emit('c1', 'e2');
    b.emitReturned('c1', 'e2', 'false');
    b.emit('c1', 'e3');
    b.emitReturned('c1', 'e3', 'threw');
    expect(p07Accounted.check(b.run(), handler).status).toBe('held');
  });

  it('is violated by a delivery of an emit reported refused, and by a double delivery', () => {
    const refused = new TraceBuilder();
    refused.emit('c1', 'e1');
    refused.emitReturned('c1', 'e1', 'false');
    const wire = refused.wire('c1', eventFrame('e1'));
    expect(p07Accounted.check(refused.run(), handler).steps[0]).toBe(wire);
    const twice = new TraceBuilder();
    twice.emit('c1', 'e1');
    twice.emitReturned('c1', 'e1', 'true');
    twice.wire('c1', eventFrame('e1'));
    const again = twice.wire('c1', eventFrame('e1'));
    expect(p07Accounted.check(twice.run(), handler).steps[0]).toBe(again);
  });

  it('is not exercised without emits', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    expect(p07Accounted.check(b.run(), handler).status).toBe('not-exercised');
  });
});
