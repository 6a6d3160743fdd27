import { describe, expect, it } from 'vitest';
import { checkTrace, properties } from './checkTrace.ts';
import { contextFor, eventFrame, TraceBuilder } from './traceBuilder.ts';

describe('checkTrace', () => {
  it('returns one verdict per property, P1..P15 in order then DE, with distinct kebab-case names', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.settled({ c1: 'ready' });
    const verdicts = checkTrace(b.run(), contextFor('reducer'));
    const ids = [...Array.from({ length: 15 }, (_, k) => `P${k + 1}`), 'DE'];
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

  it("turns a checker's exception on a malformed trace into that property's violation", () => {
    const b = new TraceBuilder();
    const run = b.run();
    const broken = { ...run, trace: [null as never] };
    const verdicts = checkTrace(broken, contextFor('reducer'));
    expect(verdicts).toHaveLength(properties.length);
    expect(verdicts.some((v) => v.status === 'violated' && v.message.startsWith('checker '))).toBe(true);
  });
});
