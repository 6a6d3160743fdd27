import { describe, expect, it } from 'vitest';
import { p10EventuallySettled } from './p10EventuallySettled.ts';
import { staleTimers } from './staleTimers.ts';
import { contextFor, TraceBuilder } from './traceBuilder.ts';

function timer(
  b: TraceBuilder,
  conn: string,
  op: 'set' | 'cancelled' | 'fired',
  name: string,
  phase: string,
): number {
  return b.entry(conn, 'design', 'timer', {
    phase,
    detail: { op, name, ...(op === 'set' ? { ms: 3000 } : {}) },
  });
}

describe('timers judged over their life (P10)', () => {
  it('holds for a deadline cancelled when its phase ends, and one that fires in its own phase', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    timer(b, 'c1', 'set', 'auth', 'authenticating');
    b.phase('c1', 'authenticating', 'preparing');
    timer(b, 'c1', 'cancelled', 'auth', 'preparing');
    timer(b, 'c1', 'set', 'prepare', 'preparing');
    timer(b, 'c1', 'fired', 'prepare', 'preparing');
    b.phase('c1', 'preparing', 'closing');
    b.settled({ c1: 'closed' });
    expect(staleTimers(b.run().trace, contextFor('reducer'))).toEqual([]);
    expect(p10EventuallySettled.check(b.run(), contextFor('reducer')).status).toBe('held');
  });

  it('is violated by a deadline that outlived its phase and fired in a later one, naming the rejection', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    const armed = timer(b, 'c1', 'set', 'auth', 'authenticating');
    b.phase('c1', 'authenticating', 'ready');
    const fired = b
      .at(3001)
      .entry('c1', 'design', 'timer', { phase: 'ready', detail: { op: 'fired', name: 'auth' } });
    const rejected = b.entry('c1', 'design', 'rejected', {
      phase: 'ready',
      detail: { input: 'timerFired', phase: 'ready', reason: 'timer auth is not pending' },
    });
    b.settled({ c1: 'ready' });
    const verdict = p10EventuallySettled.check(b.run(), contextFor('reducer'));
    expect(verdict.status).toBe('violated');
    expect(verdict.steps).toEqual([fired, rejected, armed]);
    expect(verdict.message).toBe(
      `c1: timer auth armed in authenticating (step ${armed}) was not cancelled when that phase ended and fired in ready; ` +
        'the design rejected the timerFired input it produced (timer auth is not pending) (t=3001ms)',
    );
  });

  it('is violated by a timer firing into the closed connection', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    timer(b, 'c1', 'set', 'heartbeat', 'ready');
    b.phase('c1', 'ready', 'closed');
    const fired = timer(b, 'c1', 'fired', 'heartbeat', 'closed');
    const [finding] = staleTimers(b.run().trace, contextFor('reducer'));
    expect(finding?.steps[0]).toBe(fired);
    expect(finding?.message).toContain('fired into the closed connection');
  });
});
