import { describe, expect, it } from 'vitest';
import { reference } from '../designs/reference.ts';
import { zeroKnobs } from '../sim/profiles.ts';
import { runScenario } from '../sim/runScenario.ts';
import type { ReducerDesign } from '../sim/types.ts';
import { checkTrace } from './checkTrace.ts';
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
    two.deliver('c1', 'e1', 1);
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

  it('is violated by a reducer that reports delivered(seq) for an event that never reached the wire', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    const emit = b.emit('c1', 'e1');
    const claimed = b.outcome('c1', 'e1', { kind: 'delivered', seq: 1 });
    const verdict = p07Accounted.check(b.run(), reducer);
    expect(verdict.status).toBe('violated');
    expect(verdict.steps).toEqual([claimed, emit]);
    expect(verdict.message).toContain('event e1');
    expect(verdict.message).toContain('never reached the wire');
  });

  it('is violated by a delivered(seq) whose frame carries another seq (single and batch frames)', () => {
    const single = new TraceBuilder();
    single.emit('c1', 'e1');
    single.deliver('c1', 'e1', 2);
    const claimed = single.outcome('c1', 'e1', { kind: 'delivered', seq: 1 });
    const verdict = p07Accounted.check(single.run(), reducer);
    expect(verdict.steps[0]).toBe(claimed);
    expect(verdict.message).toContain('event e1 reported delivered(seq 1)');
    expect(verdict.message).toContain('seq 2');
    const item = (id: string, seq: number) => ({ seq, event: { id, payload: { eventId: id } } });
    const batch = (secondSeq: number) => {
      const b = new TraceBuilder();
      b.emit('c1', 'e1');
      b.emit('c1', 'e2');
      b.wire('c1', { kind: 'batch', events: [item('e1', 1), item('e2', 2)] });
      b.outcome('c1', 'e1', { kind: 'delivered', seq: 1 });
      b.outcome('c1', 'e2', { kind: 'delivered', seq: secondSeq });
      return p07Accounted.check(b.run(), reducer);
    };
    expect(batch(2).status).toBe('held');
    expect(batch(1).message).toContain('event e2 reported delivered(seq 1)');
  });

  it('is violated by an event on the wire whose outcome is dropped, refused or undeliverable(authFailed)', () => {
    for (const outcome of [
      { kind: 'dropped', reason: 'overflow' },
      { kind: 'refused', reason: 'backpressure' },
      { kind: 'undeliverable', reason: 'authFailed' },
    ] as const) {
      const b = new TraceBuilder();
      b.ready('c1', 'u1');
      b.emit('c1', 'e1');
      const wire = b.deliver('c1', 'e1', 1);
      b.outcome('c1', 'e1', outcome);
      const verdict = p07Accounted.check(b.run(), reducer);
      expect(verdict.status).toBe('violated');
      expect(verdict.message).toContain(`event e1 reached the wire at step ${wire}`);
      expect(verdict.message).toContain(outcome.kind);
    }
  });

  it('accepts undeliverable(closed) for a frame already handed to the socket, not for one sent after', () => {
    // The core settles in-flight events as undeliverable when it enters closed; the write
    // may still succeed afterwards (docs/core.md).
    const inFlight = new TraceBuilder();
    inFlight.ready('c1', 'u1');
    inFlight.emit('c1', 'e1');
    inFlight.send('c1', eventFrame('e1', 1));
    inFlight.outcome('c1', 'e1', { kind: 'undeliverable', reason: 'closed' });
    inFlight.wire('c1', eventFrame('e1', 1));
    expect(p07Accounted.check(inFlight.run(), reducer).status).toBe('held');
    const late = new TraceBuilder();
    late.ready('c1', 'u1');
    late.emit('c1', 'e1');
    late.outcome('c1', 'e1', { kind: 'undeliverable', reason: 'closed' });
    late.deliver('c1', 'e1', 1);
    const verdict = p07Accounted.check(late.run(), reducer);
    expect(verdict.status).toBe('violated');
    expect(verdict.message).toContain('undeliverable(closed)');
  });

  it('is violated by a reducer event that reached the wire twice', () => {
    const b = new TraceBuilder();
    b.emit('c1', 'e1');
    b.deliver('c1', 'e1', 1);
    b.outcome('c1', 'e1', { kind: 'delivered', seq: 1 });
    const again = b.deliver('c1', 'e1', 2);
    const verdict = p07Accounted.check(b.run(), reducer);
    expect(verdict.steps[0]).toBe(again);
    expect(verdict.message).toContain('event e1 reached the wire 2 times');
  });

  it('catches, in a simulated run, a reducer that reports delivered without sending', async () => {
    let seq = 0;
    const liar: ReducerDesign<unknown> = {
      ...(reference as ReducerDesign<unknown>),
      name: 'liar',
      step(state, input) {
        if (input.type !== 'emit') return reference.step(state as never, input);
        seq += 1;
        const outcome = { kind: 'delivered', seq } as const;
        return { state, effects: [{ type: 'outcome', eventId: input.event.id, outcome }] };
      },
    };
    const run = await runScenario(liar, {
      knobs: zeroKnobs,
      environment: 'production',
      commands: [
        { atMs: 0, kind: 'open', conn: 'c1', userId: 'u1' },
        { atMs: 10, kind: 'emit', conn: 'c1', eventType: 'agent_started' },
      ],
      choices: [],
    });
    const verdicts = checkTrace(run, { design: liar, profile: 'ideal' });
    const p7 = verdicts.find((v) => v.id === 'P7');
    expect(p7?.status).toBe('violated');
    expect(p7?.message).toContain('c1: event e1 reported delivered(seq 1)');
    // Reporting delivered honestly for the same scenario holds.
    const honest = await runScenario(reference as ReducerDesign<unknown>, {
      knobs: zeroKnobs,
      environment: 'production',
      commands: [
        { atMs: 0, kind: 'open', conn: 'c1', userId: 'u1' },
        { atMs: 10, kind: 'emit', conn: 'c1', eventType: 'agent_started' },
      ],
      choices: [],
    });
    expect(p07Accounted.check(honest, { design: reference, profile: 'ideal' }).status).toBe('held');
  });
});
