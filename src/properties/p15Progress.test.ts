import { describe, expect, it } from 'vitest';
import { p15Progress } from './p15Progress.ts';
import { contextFor, TraceBuilder } from './traceBuilder.ts';

const reducer = contextFor('reducer');
const handler = contextFor('handler');

describe('P15 progress (reducer designs)', () => {
  it('holds when every event of a ready, open connection is delivered or dropped by the buffer rules', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.emit('c1', 'e1');
    b.deliver('c1', 'e1', 1);
    b.outcome('c1', 'e1', { kind: 'delivered', seq: 1 });
    // Eight events wait unsent (the capacity): then the buffer rules apply.
    for (let k = 0; k < 8; k++) b.emit('c1', `w${k}`);
    b.emit('c1', 'e2');
    b.outcome('c1', 'e2', { kind: 'dropped', reason: 'overflow' });
    b.emit('c1', 'e3', 'agent_started');
    b.outcome('c1', 'e3', { kind: 'refused', reason: 'backpressure' });
    for (let k = 0; k < 8; k++) b.deliver('c1', `w${k}`, k + 2);
    const verdict = p15Progress.check(b.run(), reducer);
    expect(verdict.status).toBe('held');
    expect(verdict.exercised).toBe(11);
  });

  it('is violated by a buffer rule cited while the trace shows room left, whatever the design reports', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    for (let k = 0; k < 4; k++) b.emit('c1', `w${k}`);
    b.buffer('c1', 8, 8);
    const emitted = b.emit('c1', 'e1');
    const refused = b.outcome('c1', 'e1', { kind: 'refused', reason: 'backpressure' });
    for (let k = 0; k < 4; k++) b.deliver('c1', `w${k}`, k + 1);
    const verdict = p15Progress.check(b.run(), reducer);
    expect(verdict.steps).toEqual([refused, emitted]);
    expect(verdict.message).toContain(
      'reported refused(backpressure) with 4 other events in hand, capacity 8',
    );
  });

  it('is violated by an event reported undeliverable on a connection that stayed open', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    const emitted = b.emit('c1', 'e1');
    const outcome = b.outcome('c1', 'e1', { kind: 'undeliverable', reason: 'closed' });
    b.phase('c1', 'connecting', 'ready');
    const verdict = p15Progress.check(b.run(), reducer);
    expect(verdict.steps).toEqual([outcome, emitted]);
    expect(verdict.message).toBe(
      'c1: event e1 was never delivered on a connection that was ready and stayed open: reported undeliverable(closed), not a buffer rule (t=0ms)',
    );
  });

  it('does not judge a connection that closed or never became ready', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.emit('c1', 'e1');
    b.outcome('c1', 'e1', { kind: 'undeliverable', reason: 'closed' });
    b.close('c1');
    b.open('c2', 'u2');
    b.emit('c2', 'e2');
    expect(p15Progress.check(b.run(), reducer).status).toBe('not-exercised');
  });
});

describe('P15 progress (handler designs)', () => {
  it('is violated by an emit that throws on a ready connection, though nothing else is wrong', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.accept('c1');
    b.auth('c1');
    b.emit('c1', 'e1');
    const threw = b.entry('c1', 'workload', 'emitReturned', {
      detail: { eventId: 'e1', result: 'threw', error: 'boom' },
    });
    const verdict = p15Progress.check(b.run(), handler);
    expect(verdict.status).toBe('violated');
    expect(verdict.steps[0]).toBe(threw);
    expect(verdict.message).toContain('its emit threw (boom)');
  });

  it('allows a refusal only while the trace shows the capacity of other events in hand', () => {
    const refusal = (waiting: number): { run: ReturnType<TraceBuilder['run']>; refused: number } => {
      const b = new TraceBuilder();
      b.open('c1', 'u1');
      b.accept('c1');
      b.auth('c1');
      for (let k = 0; k < waiting; k++) b.emit('c1', `w${k}`);
      // The design says its buffer is full, whatever the trace shows.
      b.buffer('c1', 8, 8);
      b.emit('c1', 'e1');
      const refused = b.emitReturned('c1', 'e1', 'false');
      for (let k = 0; k < waiting; k++) b.deliver('c1', `w${k}`, k + 1);
      return { run: b.run(), refused };
    };
    expect(p15Progress.check(refusal(8).run, handler).status).toBe('held');
    const { run, refused } = refusal(5);
    const verdict = p15Progress.check(run, handler);
    expect(verdict.steps[0]).toBe(refused);
    expect(verdict.message).toContain('its emit returned false with 5 other events in hand, capacity 8');
  });

  it('does not judge an emit that landed before the endpoint touched the connection', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.emit('c1', 'e1');
    b.emitReturned('c1', 'e1', 'false');
    b.accept('c1');
    b.auth('c1');
    expect(p15Progress.check(b.run(), handler).status).toBe('not-exercised');
  });
});
