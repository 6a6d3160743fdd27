import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCommands, scenarioArb } from './scenarioArb.ts';

describe('scenarioArb', () => {
  it('generates commands sorted by time, each after its connection opened, on 1-4 connections', () => {
    fc.assert(
      fc.property(scenarioArb('hostile'), (s) => {
        const opened = new Map<string, number>();
        let last = 0;
        for (const c of s.commands) {
          expect(c.atMs).toBeGreaterThanOrEqual(last);
          last = c.atMs;
          if (c.kind === 'open') opened.set(c.conn, c.atMs);
          else if (c.kind !== 'broadcast') expect(opened.has(c.conn)).toBe(true);
        }
        expect(opened.size).toBeGreaterThanOrEqual(1);
        expect(opened.size).toBeLessThanOrEqual(4);
        expect(s.choices.length).toBeLessThanOrEqual(64);
      }),
      { numRuns: 300, seed: 1 },
    );
  });

  it('often produces the preconditions that matter: bursts over capacity with a critical head, closes', () => {
    const sample = fc.sample(scenarioArb('lan'), { seed: 2, numRuns: 400 });
    const bursts = sample.filter((s) => s.commands.filter((c) => c.kind === 'emit').length > 8).length;
    const closes = sample.filter((s) => s.commands.some((c) => c.kind === 'appClose')).length;
    expect(bursts).toBeGreaterThan(20);
    expect(closes).toBeGreaterThan(100);
  });

  it('draws swarm knobs within bounds, with latencyMsMax >= latencyMsMin', () => {
    for (const s of fc.sample(scenarioArb('swarm'), { seed: 3, numRuns: 200 })) {
      expect(s.knobs.latencyMsMax).toBeGreaterThanOrEqual(s.knobs.latencyMsMin);
      expect(s.knobs.authFailurePerMillion).toBeLessThanOrEqual(100_000);
    }
  });

  it('is a function of seed and path (what replay relies on)', () => {
    const a = fc.sample(scenarioArb('cloud-run'), { seed: 9, numRuns: 5 });
    const b = fc.sample(scenarioArb('cloud-run'), { seed: 9, numRuns: 5 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe('buildCommands', () => {
  it('binds drafts modulo the number of connections and never before the open', () => {
    const commands = buildCommands(
      [
        { atMs: 10, user: 0 },
        { atMs: 0, user: 0 },
      ],
      [
        { kind: 'emit', connIndex: 2, atMs: 0, eventType: 'agent_started' },
        { kind: 'abrupt', connIndex: 1, atMs: 5 },
      ],
    );
    expect(commands).toEqual([
      { atMs: 0, kind: 'open', conn: 'c2', userId: 'u2' },
      { atMs: 5, kind: 'abrupt', conn: 'c2' },
      { atMs: 10, kind: 'open', conn: 'c1', userId: 'u1' },
      { atMs: 10, kind: 'emit', conn: 'c1', eventType: 'agent_started' },
    ]);
  });
});
