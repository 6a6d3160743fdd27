import { describe, expect, it } from 'vitest';
import type { Phase } from '../core/types.ts';
import { p04ValidTransitions } from './p04ValidTransitions.ts';
import { contextFor, TraceBuilder } from './traceBuilder.ts';

// Seed 003's own names; it has no name for the reference 'accepting'.
const seedAliases: Record<string, Phase> = {
  CONNECTING: 'connecting',
  ACCEPTED: 'authenticating',
  AUTHENTICATED: 'preparing',
  SERVICES_READY: 'preparing',
  PROCESSING_READY: 'ready',
  CLOSED: 'closed',
};
const seedCtx = contextFor('handler', { phaseAliases: seedAliases });

describe('P4 valid-transitions', () => {
  it('holds on the reference lifecycle', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.phase('c1', 'ready', 'closing');
    b.phase('c1', 'closing', 'closed');
    const verdict = p04ValidTransitions.check(b.run(), contextFor('reducer'));
    expect(verdict.status).toBe('held');
    expect(verdict.exercised).toBe(6);
  });

  it('is violated by a reducer phase change outside the table', () => {
    const b = new TraceBuilder();
    b.phase('c1', 'connecting', 'accepting');
    const skip = b.phase('c1', 'accepting', 'ready');
    const verdict = p04ValidTransitions.check(b.run(), contextFor('reducer'));
    expect(verdict.status).toBe('violated');
    expect(verdict.steps).toEqual([skip]);
  });

  it('is violated by an attempted (rejected) CONNECTING -> SERVICES_READY', () => {
    const b = new TraceBuilder();
    b.phase('c1', 'CONNECTING', 'ACCEPTED', true, 'preliminary');
    const attempt = b.phase('c1', 'CONNECTING', 'SERVICES_READY', false, 'final');
    const verdict = p04ValidTransitions.check(b.run(), seedCtx);
    expect(verdict.steps).toEqual([attempt]);
    expect(verdict.message).toContain('attempted CONNECTING -> SERVICES_READY');
  });

  it('lets a coarser design skip a reference phase it has no name for, not one it names', () => {
    const b = new TraceBuilder();
    b.phase('c1', 'CONNECTING', 'ACCEPTED');
    b.phase('c1', 'ACCEPTED', 'AUTHENTICATED');
    b.phase('c1', 'AUTHENTICATED', 'SERVICES_READY');
    b.phase('c1', 'SERVICES_READY', 'PROCESSING_READY');
    expect(p04ValidTransitions.check(b.run(), seedCtx).status).toBe('held');
    const withAccepting = contextFor('handler', { phaseAliases: { ...seedAliases, ACCEPTING: 'accepting' } });
    expect(p04ValidTransitions.check(b.run(), withAccepting).steps).toEqual([0]);
  });

  it('is violated by a phase name without alias', () => {
    const b = new TraceBuilder();
    const odd = b.phase('c1', 'CONNECTING', 'WARMING_UP');
    const verdict = p04ValidTransitions.check(b.run(), seedCtx);
    expect(verdict.steps).toEqual([odd]);
    expect(verdict.message).toContain('phase name WARMING_UP has no alias');
  });

  it('is not applicable when the design exposes no phase', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    b.accept('c1');
    const verdict = p04ValidTransitions.check(b.run(), contextFor('handler'));
    expect(verdict.status).toBe('not-applicable');
    expect(verdict.message).toBe('design exposes no phase');
  });

  it('is violated by a reducer design whose step threw (design/threw), even with no phase change', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    const threw = b.at(7).entry('c1', 'design', 'threw', {
      detail: { input: 'servicesReady', phase: 'preparing', error: 'boom' },
    });
    const verdict = p04ValidTransitions.check(b.run(), contextFor('reducer'));
    expect(verdict.status).toBe('violated');
    expect(verdict.steps).toEqual([threw]);
    expect(verdict.message).toBe('c1: step threw on servicesReady in preparing: boom (t=7ms)');
  });
});
