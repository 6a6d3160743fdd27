import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCommands, scenarioArb, scenarioArbWith } from './scenarioArb.ts';

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

  it('about one run in five resumes a live connection after an idle 0.5-6 s, often on a round second', () => {
    const sample = fc.sample(scenarioArb('lan'), { seed: 4, numRuns: 2000 });
    // The idle gap: the latest agent command's offset from its connection's arrival, minus the
    // one before it on that connection.
    const gaps = sample.flatMap((s) => {
      const byConn = new Map<string, number[]>();
      for (const c of s.commands)
        if ('sinceConnectMs' in c && c.sinceConnectMs !== undefined && 'conn' in c)
          byConn.set(c.conn, [...(byConn.get(c.conn) ?? []), c.sinceConnectMs]);
      const longest = [...byConn.values()].map((ms) => {
        const sorted = [...new Set(ms)].sort((a, b) => a - b);
        return Math.max(0, ...sorted.map((m, k) => m - (k === 0 ? 0 : (sorted[k - 1] ?? 0))));
      });
      return [Math.max(0, ...longest)];
    });
    const resumed = gaps.filter((g) => g >= 500);
    // One run in four draws a resume; it is emitted unless a command closes every connection.
    expect(resumed.length).toBeGreaterThan(2000 * 0.15);
    expect(resumed.length).toBeLessThan(2000 * 0.25);
    for (const s of sample) {
      const closed = new Set(
        s.commands.flatMap((c) =>
          c.kind === 'appClose' || c.kind === 'peerClose' || c.kind === 'abrupt' ? [c.conn] : [],
        ),
      );
      for (const c of s.commands)
        if (c.kind === 'emit' && (c.sinceConnectMs ?? 0) >= 500) expect(closed.has(c.conn)).toBe(false);
    }
    expect(Math.max(...resumed)).toBeLessThanOrEqual(6000);
    const onEdge = resumed.filter((g) => Math.abs(g - Math.round(g / 1000) * 1000) <= 2);
    expect(onEdge.length).toBeGreaterThan(resumed.length * 0.4);
    // Exactly on the second, where a timeout and a new item meet, in every second from 1 to 5.
    for (const second of [1, 2, 3, 4, 5]) expect(resumed).toContain(second * 1000);
  });

  it("draws the resume last: a seed's runs are those without it, plus the resume's emits", () => {
    for (const profile of ['lan', 'hostile', 'swarm'] as const) {
      const withResume = fc.sample(scenarioArb(profile), { seed: 8, numRuns: 300 });
      const without = fc.sample(scenarioArbWith(profile, fc.constant(null)), { seed: 8, numRuns: 300 });
      let resumed = 0;
      for (const [k, a] of withResume.entries()) {
        const b = without[k];
        // The resume's emits are the only commands timed 500 ms or more after an arrival.
        const late = (c: (typeof a.commands)[number]): boolean =>
          c.kind === 'emit' && (c.sinceConnectMs ?? 0) >= 500;
        if (a.commands.some(late)) resumed++;
        expect({ ...a, commands: a.commands.filter((c) => !late(c)) }).toEqual(b);
      }
      expect(resumed).toBeGreaterThan(30);
    }
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
      { atMs: 10, sinceConnectMs: 0, kind: 'emit', conn: 'c1', eventType: 'agent_started' },
    ]);
  });

  it('resumes a connection no command closes, timed from its latest agent command', () => {
    const resume = { connIndex: 4, idleMs: 1000, types: ['agent_thinking', 'agent_completed'] };
    const commands = buildCommands(
      [
        { atMs: 0, user: 0 },
        { atMs: 3, user: 1 },
      ],
      [
        { kind: 'emit', connIndex: 0, atMs: 10, eventType: 'agent_started' },
        { kind: 'abrupt', connIndex: 0, atMs: 900 },
        { kind: 'emit', connIndex: 1, atMs: 40, eventType: 'agent_started' },
      ],
      resume,
    );
    // c1 vanishes at 900 ms: the resume goes to c2, the one connection left (4 modulo 1).
    expect(commands.filter((c) => c.kind === 'emit' && c.conn === 'c2')).toEqual([
      { atMs: 3, sinceConnectMs: 40, kind: 'emit', conn: 'c2', eventType: 'agent_started' },
      { atMs: 3, sinceConnectMs: 1040, kind: 'emit', conn: 'c2', eventType: 'agent_thinking' },
      { atMs: 3, sinceConnectMs: 1040, kind: 'emit', conn: 'c2', eventType: 'agent_completed' },
    ]);
    expect(commands.filter((c) => c.kind === 'emit' && c.conn === 'c1')).toHaveLength(1);
    // A connection with no agent command idles from its arrival; none left, no resume.
    const idle = buildCommands([{ atMs: 5, user: 0 }], [], resume);
    expect(
      idle.filter((c) => c.kind === 'emit').map((c) => 'sinceConnectMs' in c && c.sinceConnectMs),
    ).toEqual([1000, 1000]);
    const allClosed = buildCommands(
      [{ atMs: 5, user: 0 }],
      [{ kind: 'peerClose', connIndex: 0, atMs: 50, code: 1000 }],
      resume,
    );
    expect(allClosed.some((c) => c.kind === 'emit')).toBe(false);
  });
});
