import { describe, expect, it } from 'vitest';
import { p06CriticalRetained } from './p06CriticalRetained.ts';
import { contextFor, eventFrame, TraceBuilder } from './traceBuilder.ts';

const reducer = contextFor('reducer');
const handler = contextFor('handler');

describe('P6 critical-retained (reducer designs)', () => {
  it('holds when overflow drops a non-critical event and refuses a critical one', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.emit('c1', 'e1', 'agent_thinking');
    b.emit('c1', 'e2', 'tool_executing');
    b.buffer('c1', 2, 2);
    b.emit('c1', 'e3', 'tool_completed');
    b.outcome('c1', 'e1', { kind: 'dropped', reason: 'overflow' });
    b.emit('c1', 'e4', 'agent_completed');
    b.outcome('c1', 'e4', { kind: 'refused', reason: 'backpressure' });
    const verdict = p06CriticalRetained.check(b.run(), reducer);
    expect(verdict.status).toBe('held');
    expect(verdict.exercised).toBeGreaterThanOrEqual(2);
  });

  it('is violated by a dropped critical event', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.emit('c1', 'e1', 'agent_started');
    const drop = b.outcome('c1', 'e1', { kind: 'dropped', reason: 'overflow' });
    const verdict = p06CriticalRetained.check(b.run(), reducer);
    expect(verdict.status).toBe('violated');
    expect(verdict.steps).toEqual([drop]);
  });

  it('is not exercised when the buffer never fills', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.buffer('c1', 1, 8);
    b.emit('c1', 'e1', 'agent_started');
    b.outcome('c1', 'e1', { kind: 'delivered', seq: 1 });
    expect(p06CriticalRetained.check(b.run(), reducer).status).toBe('not-exercised');
  });
});

describe('P6 critical-retained (handler designs)', () => {
  it('is violated by refusing a critical event while a non-critical one was held', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.emit('c1', 'n1', 'agent_thinking');
    b.emitReturned('c1', 'n1', 'true');
    b.emit('c1', 'k1', 'tool_executing');
    const refused = b.emitReturned('c1', 'k1', 'false');
    b.wire('c1', eventFrame('n1'));
    expect(p06CriticalRetained.check(b.run(), handler).steps).toEqual([refused]);
  });

  it('holds when the non-critical event was already handed to the socket at the refusal', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.emit('c1', 'n1', 'agent_thinking');
    // The design's writer took n1 out of its buffer and is awaiting the write.
    b.send('c1', eventFrame('n1'));
    b.emit('c1', 'k1', 'tool_executing');
    b.emitReturned('c1', 'k1', 'false');
    b.wire('c1', eventFrame('n1'));
    b.emitReturned('c1', 'n1', 'true');
    expect(p06CriticalRetained.check(b.run(), handler).status).not.toBe('violated');
  });

  it('holds when the critical event is refused because the design knew of the close', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.emit('c1', 'n1', 'agent_thinking');
    b.closeCalled('c1');
    // Decided before the close was known, n1 still drains; k1 comes after it and is refused.
    b.emit('c1', 'k1', 'tool_executing');
    b.emitReturned('c1', 'k1', 'false');
    b.wire('c1', eventFrame('n1'));
    b.emitReturned('c1', 'n1', 'true');
    expect(p06CriticalRetained.check(b.run(), handler).status).not.toBe('violated');
  });

  it('holds when the non-critical event was already gone (never delivered) at the refusal', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.emit('c1', 'n1', 'agent_thinking');
    b.emitReturned('c1', 'n1', 'true');
    b.emit('c1', 'k1', 'tool_executing');
    b.emitReturned('c1', 'k1', 'false');
    const verdict = p06CriticalRetained.check(b.run(), handler);
    expect(verdict.status).toBe('held');
    expect(verdict.exercised).toBe(1);
  });

  it('is not exercised by a critical refusal with nothing outstanding (e.g. unknown connection)', () => {
    const b = new TraceBuilder();
    b.emit('c9', 'n1', 'agent_thinking');
    b.emitReturned('c9', 'n1', 'false');
    b.emit('c9', 'k1', 'agent_started');
    b.emitReturned('c9', 'k1', 'false');
    expect(p06CriticalRetained.check(b.run(), handler).status).toBe('not-exercised');
  });

  it('is violated by a critical event accepted and skipped while later frames went out', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    const emit = b.emit('c1', 'k1', 'agent_started');
    const returned = b.emitReturned('c1', 'k1', 'true');
    b.emit('c1', 'n1');
    b.emitReturned('c1', 'n1', 'true');
    b.wire('c1', eventFrame('n1'));
    expect(p06CriticalRetained.check(b.run(), handler).steps).toEqual([returned, emit]);
  });

  it('does not blame a critical event lost on a connection that closed', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.emit('c1', 'k1', 'agent_started');
    b.emitReturned('c1', 'k1', 'true');
    b.wire('c1', eventFrame('n1'));
    b.clientClose('c1');
    b.settled({ c1: 'closed' });
    expect(p06CriticalRetained.check(b.run(), handler).status).not.toBe('violated');
  });
});
