import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../sim/types.ts';
import {
  buildCommands,
  exploreProfiles,
  realisticIdProfiles,
  scenarioArb,
  scenarioArbWith,
  userIdFamilies,
  type UserIdFamily,
} from './scenarioArb.ts';

/** The family of `userId` and its place in it. */
function placeOf(userId: string): { family: UserIdFamily; index: number } {
  for (const [family, ids] of Object.entries(userIdFamilies) as [UserIdFamily, readonly string[]][]) {
    const index = ids.indexOf(userId);
    if (index >= 0) return { family, index };
  }
  throw new Error(`${userId} is in no family`);
}

/** `s` with each user id replaced by the short id at its place. */
function withShortIds(s: Scenario): Scenario {
  return {
    ...s,
    commands: s.commands.map((c) =>
      c.kind === 'open' ? { ...c, userId: userIdFamilies.short[placeOf(c.userId).index] ?? '' } : c,
    ),
  };
}

/** The id family of a run (every open of a run has one). */
function familyOf(s: Scenario): UserIdFamily {
  const open = s.commands.find((c) => c.kind === 'open');
  return open?.kind === 'open' ? placeOf(open.userId).family : 'short';
}

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
      // The id family, drawn after the resume, is held to the short ids on both sides.
      const shortIds = { userIdFamily: fc.constant(null) };
      const withResume = fc.sample(scenarioArbWith(profile, shortIds), { seed: 8, numRuns: 300 });
      const without = fc.sample(scenarioArbWith(profile, { ...shortIds, resume: fc.constant(null) }), {
        seed: 8,
        numRuns: 300,
      });
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

  it("draws the id family last: a seed's runs are those with the short ids, each id swapped for its family's", () => {
    for (const profile of exploreProfiles) {
      const drawn = fc.sample(scenarioArb(profile), { seed: 8, numRuns: 300 });
      const short = fc.sample(scenarioArbWith(profile, { userIdFamily: fc.constant(null) }), {
        seed: 8,
        numRuns: 300,
      });
      const families = new Map<UserIdFamily, number>();
      for (const [k, a] of drawn.entries()) {
        families.set(familyOf(a), (families.get(familyOf(a)) ?? 0) + 1);
        // One family per run.
        for (const c of a.commands) if (c.kind === 'open') expect(placeOf(c.userId).family).toBe(familyOf(a));
        expect(withShortIds(a)).toEqual(short[k]);
      }
      if (realisticIdProfiles.includes(profile)) {
        // Half the runs draw a realistic family, a third of those each family.
        expect(families.get('short') ?? 0, profile).toBeGreaterThan(110);
        for (const family of ['emails', 'uuids', 'cases'] as const)
          expect(families.get(family) ?? 0, `${profile} ${family}`).toBeGreaterThan(30);
      } else {
        // ideal, lan and cloud-run keep the short ids: their runs are byte-for-byte the same.
        expect([...families.keys()], profile).toEqual(['short']);
        expect(JSON.stringify(drawn)).toBe(JSON.stringify(short));
      }
    }
  });

  it('has families whose first two ids show their relation, each keeping a prefix pair', () => {
    const [e0, e1] = userIdFamilies.emails;
    expect(e0.slice(0, 8)).toBe(e1.slice(0, 8));
    expect(e0.length).toBeGreaterThan(16);
    const [u0, u1] = userIdFamilies.uuids;
    expect(u0.slice(0, -1)).toBe(u1.slice(0, -1));
    const [c0, c1] = userIdFamilies.cases;
    expect(c0).not.toBe(c1);
    expect(c0.toLowerCase()).toBe(c1.toLowerCase());
    for (const ids of Object.values(userIdFamilies) as (readonly string[])[]) {
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.some((a) => ids.some((b) => a !== b && b.startsWith(a)))).toBe(true);
    }
  });

  it('shrinks towards the short ids, and to the first two of a family when the ids matter', () => {
    // A failure the ids play no part in: the counterexample has the short ids.
    const unrelated = fc.check(
      fc.property(scenarioArb('hostile'), (s) => !s.commands.some((c) => c.kind === 'abrupt')),
      { seed: 5, numRuns: 1000 },
    );
    expect(unrelated.counterexample?.[0] && familyOf(unrelated.counterexample[0])).toBe('short');
    // A failure needing two users whose ids share 8 leading characters: two connections, the
    // emails family's first two users.
    const sharing = fc.check(
      fc.property(scenarioArb('hostile'), (s) => {
        const users = [...new Set(s.commands.flatMap((c) => (c.kind === 'open' ? [c.userId] : [])))];
        return !users.some((a) => users.some((b) => a !== b && a.slice(0, 8) === b.slice(0, 8)));
      }),
      { seed: 5, numRuns: 1000 },
    );
    const opens = sharing.counterexample?.[0]?.commands.filter((c) => c.kind === 'open');
    expect(opens?.map((c) => c.kind === 'open' && c.userId)).toEqual(userIdFamilies.emails.slice(0, 2));
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
