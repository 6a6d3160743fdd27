import { describe, expect, it } from 'vitest';
import { Chooser } from './chooser.ts';
import { profiles, swarmKnobs, zeroKnobs } from './profiles.ts';
import { agentEventTypes, generateScenario } from './workload.ts';

describe('generateScenario', () => {
  it('is a pure function of its arguments', () => {
    expect(generateScenario(11, 'lan')).toEqual(generateScenario(11, 'lan'));
    expect(generateScenario(11, 'lan')).not.toEqual(generateScenario(12, 'lan'));
  });

  it('opens every connection once, before its emits, with the five agent event types', () => {
    const scenario = generateScenario(3, 'cloud-run', { connections: 4, emits: 6 });
    const opens = scenario.commands.filter((c) => c.kind === 'open');
    expect(opens.map((c) => c.conn).sort()).toEqual(['c1', 'c2', 'c3', 'c4']);
    for (const open of opens) {
      const emits = scenario.commands.filter((c) => c.kind === 'emit' && c.conn === open.conn);
      expect(emits).toHaveLength(6);
      for (const emit of emits) expect(emit.atMs).toBeGreaterThanOrEqual(open.atMs);
      if (emits[0]?.kind === 'emit') expect(emits[0].eventType).toBe('agent_started');
      for (const emit of emits) if (emit.kind === 'emit') expect(agentEventTypes).toContain(emit.eventType);
    }
    const times = scenario.commands.map((c) => c.atMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(scenario.knobs).toEqual(profiles['cloud-run']);
    expect(scenario.choices.length).toBeGreaterThan(scenario.commands.length);
  });

  it('hostile workloads contain peer faults and cleanup closes somewhere across seeds', () => {
    const kinds = new Set<string>();
    for (let seed = 1; seed <= 30; seed++)
      for (const c of generateScenario(seed, 'hostile').commands) kinds.add(c.kind);
    expect([...kinds].sort()).toEqual(['abrupt', 'appClose', 'clientMessage', 'emit', 'open', 'peerClose']);
  });
});

describe('profiles', () => {
  it('ideal is all zero; lan and hostile follow the brief', () => {
    expect(profiles.ideal).toEqual(zeroKnobs);
    expect(Object.values(zeroKnobs).every((v) => v === 0)).toBe(true);
    expect([profiles.lan.latencyMsMin, profiles.lan.latencyMsMax, profiles.lan.authDelayMsMax]).toEqual([
      1, 5, 20,
    ]);
    expect(profiles.hostile.latencyMsMax).toBe(400);
    expect(profiles['cloud-run'].latencyMsMax).toBeGreaterThanOrEqual(150);
  });

  it('swarmKnobs draws valid knobs per seed, reproducibly', () => {
    const a = swarmKnobs(Chooser.fromSeed(9));
    expect(swarmKnobs(Chooser.fromSeed(9))).toEqual(a);
    expect(a.latencyMsMax).toBeGreaterThanOrEqual(a.latencyMsMin);
    const all = Array.from({ length: 20 }, (_, seed) => swarmKnobs(Chooser.fromSeed(seed)));
    expect(new Set(all.map((k) => JSON.stringify(k))).size).toBeGreaterThan(15);
    expect(swarmKnobs(Chooser.fromChoices([]))).toEqual(zeroKnobs);
  });
});
