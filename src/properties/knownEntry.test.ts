import { describe, expect, it } from 'vitest';
import { traceKindNames } from '../trace/traceKinds.ts';
import type { Actor } from '../trace/types.ts';
import { checkTrace } from './checkTrace.ts';
import { asEntry } from './knownEntry.ts';
import { p09BoundedBuffer } from './p09BoundedBuffer.ts';
import { p10EventuallySettled } from './p10EventuallySettled.ts';
import { p13NoTransportError } from './p13NoTransportError.ts';
import { p15Progress } from './p15Progress.ts';
import { contextFor, TraceBuilder } from './traceBuilder.ts';

const entryOf = (actor: string, action: string) => ({
  i: 0,
  t: 0,
  conn: 'c1',
  actor: actor as Actor,
  action,
});

describe('asEntry', () => {
  it('narrows an entry of every kind of traceKinds, and no other', () => {
    for (const kind of traceKindNames) {
      const [actor, action] = kind.split('/') as [string, string];
      expect(asEntry(entryOf(actor, action)), kind).not.toBeNull();
    }
    expect(asEntry(entryOf('net', 'teleport'))).toBeNull();
    expect(asEntry(entryOf('robot', 'wire'))).toBeNull();
    expect(asEntry(entryOf('net', 'toString'))).toBeNull();
  });
});

describe('entries of a kind the union does not know', () => {
  it('are judged by P13 through their errorKind, and count as socket calls when the app wrote them', () => {
    const b = new TraceBuilder();
    b.accept('c1');
    const odd = b.at(4).other('c1', 'app', 'teleport', { error: 'boom', errorKind: 'RuntimeError' });
    const verdict = p13NoTransportError.check(b.run(), contextFor('handler'));
    expect(verdict.steps).toEqual([odd]);
    expect(verdict.message).toBe('c1: teleport raised RuntimeError "boom" (t=4ms)');
    expect(verdict.exercised).toBe(2);
  });

  it("answer a stale timer's firing like any design entry on its connection (P10)", () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    const armed = b.entry('c1', 'design', 'timer', {
      phase: 'authenticating',
      detail: { op: 'set', name: 'auth', ms: 3000 },
    });
    const fired = b.entry('c1', 'design', 'timer', { phase: 'ready', detail: { op: 'fired', name: 'auth' } });
    b.other('c1', 'design', 'mood');
    b.entry('c1', 'design', 'rejected', {
      phase: 'ready',
      detail: { input: 'timerFired', phase: 'ready', reason: 'timer auth is not pending' },
    });
    b.settled({ c1: 'ready' });
    const verdict = p10EventuallySettled.check(b.run(), contextFor('reducer'));
    // The unknown entry answered first: the later rejection is not named.
    expect(verdict.steps).toEqual([fired, armed]);
    expect(verdict.message).not.toContain('rejected');
  });

  it('show that a handler design touched its connection (P15)', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.other('c1', 'app', 'handlerPaused');
    const emitted = b.emit('c1', 'e1');
    b.entry('c1', 'design', 'auth', { detail: { ok: true } });
    const verdict = p15Progress.check(b.run(), contextFor('handler'));
    expect(verdict.steps).toEqual([emitted]);
    expect(verdict.message).toContain('its emit never returned');
  });

  it('start a new instant where P9 judges the events in hand', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.at(1);
    for (let k = 0; k < 9; k++) b.emit('c1', `e${k}`);
    const odd = b.at(2).other(null, 'harness', 'stretch');
    b.at(3).settled({});
    const verdict = p09BoundedBuffer.check(b.run(), contextFor('handler'));
    expect(verdict.steps).toEqual([odd]);
    expect(verdict.message).toContain('the design held 9 events not yet sent, capacity 8');
  });

  it('reach no checker when their actor is outside the trace format', () => {
    const b = new TraceBuilder();
    b.other('c1', 'robot' as Actor, 'wire', { errorKind: 'RuntimeError' });
    const verdicts = checkTrace(b.run(), contextFor('handler'));
    expect(verdicts.find((v) => v.id === 'P13')?.status).toBe('not-exercised');
  });
});
