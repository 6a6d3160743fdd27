import { describe, expect, it } from 'vitest';
import { checkTrace, properties } from './checkTrace.ts';
import { defineProperty } from './fold.ts';
import type { PropertyVerdict } from './propertyTypes.ts';
import { contextFor, eventFrame, TraceBuilder } from './traceBuilder.ts';

describe('checkTrace', () => {
  it('returns one verdict per property, P1..Pn in order then DE, with distinct kebab-case names', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.settled({ c1: 'ready' });
    const verdicts = checkTrace(b.run(), contextFor('reducer'));
    // The registry's own count: P1..Pn numbered without a gap, then DE.
    const ids = [...Array.from({ length: properties.length - 1 }, (_, k) => `P${k + 1}`), 'DE'];
    expect(verdicts.map((v) => v.id)).toEqual(ids);
    expect(properties.map((p) => p.id)).toEqual(ids);
    expect(new Set(properties.map((p) => p.name)).size).toBe(ids.length);
    for (const p of properties) {
      expect(p.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(p.summary.length).toBeGreaterThan(20);
      expect(p.precondition.length).toBeGreaterThan(5);
    }
  });

  it('finds the seed 000 interleaving: emit at 75 ms before the accept completes at 100 ms', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.at(75).emit('c1', 'e1', 'agent_started');
    const send = b.send(
      'c1',
      eventFrame('e1'),
      'CONNECTING',
      'Expected ASGI message "websocket.accept", ...',
    );
    b.emitReturned('c1', 'e1', 'threw');
    b.at(100).accept('c1');
    b.at(150).auth('c1');
    b.settled({ c1: 'ready' });
    const verdicts = checkTrace(b.run(), contextFor('handler'));
    const violated = verdicts.filter((v) => v.status === 'violated').map((v) => v.id);
    expect(violated).toEqual(['P1', 'P13']);
    expect(verdicts.find((v) => v.id === 'P1')?.steps).toEqual([send]);
  });

  it("gives a checker's exception on a malformed trace a checker-error, never a violation", () => {
    const b = new TraceBuilder();
    const run = b.run();
    const broken = { ...run, trace: [null as never] };
    const verdicts = checkTrace(broken, contextFor('reducer'));
    expect(verdicts).toHaveLength(properties.length);
    expect(verdicts.some((v) => v.status === 'checker-error' && v.message.startsWith('checker '))).toBe(true);
    expect(verdicts.filter((v) => v.status === 'violated')).toEqual([]);
  });

  it('judges every other property as before when one checker throws', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.emit('c1', 'e1');
    b.deliver('c1', 'e1', 1);
    b.settled({ c1: 'ready' });
    const run = b.run();
    const ctx = contextFor('handler');
    const throwing = defineProperty({
      id: 'P3',
      name: 'throws-at-the-second-entry',
      summary: 'A checker with a bug: it throws on the second entry it reads.',
      precondition: 'any entry',
      reads: ['app', 'client', 'net', 'workload', 'design', 'harness'],
      init: () => ({ seen: 0 }),
      step(state) {
        state.seen++;
        if (state.seen === 2) throw new TypeError('cannot read properties of undefined');
      },
      finish: () => ({ id: 'P3', status: 'held', steps: [], message: 'held', exercised: 1 }),
    });
    const planted = properties.map((p) => (p.id === 'P3' ? throwing : p));
    const verdicts = checkTrace(run, ctx, planted);
    expect(verdicts.find((v) => v.id === 'P3')).toEqual({
      id: 'P3',
      status: 'checker-error',
      steps: [],
      message: 'checker throws-at-the-second-entry failed on this trace: cannot read properties of undefined',
      exercised: 0,
    });
    const others = (vs: readonly PropertyVerdict[]): PropertyVerdict[] => vs.filter((v) => v.id !== 'P3');
    expect(others(verdicts)).toEqual(others(checkTrace(run, ctx)));
  });

  it('gives a checker that throws in finish a checker-error of its own', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    const throwing = defineProperty({
      id: 'P9',
      name: 'throws-at-the-end',
      summary: 'A checker with a bug: it throws when it turns its state into a verdict.',
      precondition: 'any entry',
      reads: ['design'],
      init: () => null,
      step: () => undefined,
      finish: () => {
        throw new Error('no verdict');
      },
    });
    const verdicts = checkTrace(b.run(), contextFor('reducer'), [throwing]);
    expect(verdicts.map((v) => [v.id, v.status, v.message])).toEqual([
      ['P9', 'checker-error', 'checker throws-at-the-end failed on this trace: no verdict'],
    ]);
  });
});
