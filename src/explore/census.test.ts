import { describe, expect, it } from 'vitest';
import { reference } from '../designs/reference.ts';
import { census, faultLabels, preconditions, type PreconditionName, type ProfileCensus } from './census.ts';
import { rateRatio } from '../report/censusReport.ts';
import { exploreProfiles, realisticIdProfiles, type ExploreProfile } from './scenarioArb.ts';
import { faultTable, type FaultLabel } from '../sim/faults.ts';
import { profiles, swarmBounds } from '../sim/profiles.ts';

const runs = 1500;
const faultProfiles: readonly ExploreProfile[] = ['cloud-run', 'hostile', 'swarm'];
const results = new Map<ExploreProfile, ProfileCensus>();

async function of(profile: ExploreProfile): Promise<ProfileCensus> {
  let c = results.get(profile);
  if (c === undefined) {
    c = await census(reference, { profile, runs, seed: 1 });
    results.set(profile, c);
  }
  return c;
}

// Preconditions that need faults, or latency that spreads a flush over several ms: absent
// where a profile has no fault knob on.
const faultOnly: readonly PreconditionName[] = [
  'authFailures',
  'authFailuresWithBuffered',
  'sendFailures',
  'heartbeatTimeouts',
  'closeDuringFlush',
];

// Preconditions that need a realistic user id family, which only these profiles draw.
const realisticIdsOnly: readonly PreconditionName[] = ['longSharedPrefixIds', 'caseOnlyIds'];

// The slow reader (a stalling reader, a bounded write buffer): on in these profiles only.
const slowReaderProfiles: readonly ExploreProfile[] = ['hostile', 'swarm'];
const slowReaderOnly: readonly PreconditionName[] = [
  'writeWaited',
  'readyWithBacklogDraining',
  'emitDuringDrain',
];

/** Whether `profile` turns fault `label` on: its knob above 0 (swarm: a bound above 0). */
function enables(profile: ExploreProfile, label: FaultLabel): boolean {
  const knob = faultTable[label].knob;
  const rate = profile === 'swarm' ? swarmBounds[knob] : profiles[profile][knob];
  return (rate ?? 0) > 0;
}

describe(`census (reference, ${runs} runs per profile, seed 1)`, () => {
  it('every fault fires within 25% of its knob wherever enough fires are due to tell', async () => {
    let judged = 0;
    for (const profile of faultProfiles) {
      for (const fault of (await of(profile)).faults) {
        // Below 100 due fires, a 25% band is under 2.5 standard deviations: too noisy to judge.
        if (fault.expected < 100) continue;
        judged++;
        const ratio = rateRatio(fault) ?? 0;
        expect(
          ratio,
          `${profile} ${fault.label}: ${fault.fired} fired, ${fault.expected} due`,
        ).toBeGreaterThan(0.75);
        expect(ratio, `${profile} ${fault.label}`).toBeLessThan(1.25);
      }
    }
    // hostile alone has every fault with enough due fires: the band is never judged vacuously.
    const hostile = await of('hostile');
    for (const label of faultLabels) {
      expect(hostile.faults.find((f) => f.label === label)?.expected ?? 0, label).toBeGreaterThanOrEqual(100);
    }
    expect(judged).toBeGreaterThanOrEqual(faultLabels.length);
  });

  it('every fault is asked and fires in each profile that enables it; none in lan or ideal', async () => {
    for (const profile of faultProfiles) {
      for (const fault of (await of(profile)).faults) {
        if (!enables(profile, fault.label as FaultLabel)) continue;
        expect(fault.fired, `${profile} ${fault.label}`).toBeGreaterThan(0);
      }
    }
    for (const profile of ['ideal', 'lan'] as const) {
      for (const fault of (await of(profile)).faults)
        expect(fault.asked, `${profile} ${fault.label}`).toBe(0);
    }
  });

  it('every precondition occurs in each profile that enables it', async () => {
    const names = Object.keys(preconditions) as PreconditionName[];
    for (const profile of ['ideal', 'lan', ...faultProfiles] as const) {
      const c = await of(profile);
      for (const name of names) {
        if (faultOnly.includes(name) && !faultProfiles.includes(profile)) continue;
        if (realisticIdsOnly.includes(name) && !realisticIdProfiles.includes(profile)) continue;
        if (slowReaderOnly.includes(name) && !slowReaderProfiles.includes(profile)) continue;
        expect(c.runsWith[name], `${profile} ${name}`).toBeGreaterThan(0);
      }
    }
  });

  it('slow readers occur in hostile and swarm only: stalls fire, writes wait, backlogs drain slowly', async () => {
    for (const profile of exploreProfiles) {
      const c = await of(profile);
      const on = slowReaderProfiles.includes(profile);
      for (const name of slowReaderOnly) {
        if (on) expect(c.runsWith[name], `${profile} ${name}`).toBeGreaterThan(0);
        else expect(c.runsWith[name], `${profile} ${name}`).toBe(0);
      }
      const stall = c.faults.find((f) => f.label === 'readStall');
      if (on) expect(stall?.fired ?? 0, `${profile} readStall`).toBeGreaterThan(0);
      else expect(stall?.asked ?? 0, `${profile} readStall`).toBe(0);
    }
  });

  it('realistic user ids occur in hostile and swarm only', async () => {
    for (const profile of exploreProfiles) {
      const c = await of(profile);
      for (const name of realisticIdsOnly) {
        if (realisticIdProfiles.includes(profile))
          expect(c.runsWith[name], `${profile} ${name}`).toBeGreaterThan(0);
        else expect(c.runsWith[name], `${profile} ${name}`).toBe(0);
      }
    }
  });
});
