import { describe, expect, it } from 'vitest';
import { Chooser } from './chooser.ts';
import type { SimContext } from './context.ts';
import {
  faultLabels,
  faultTable,
  shouldFailAuth,
  shouldFailSend,
  shouldPeerClose,
  shouldStallReader,
  shouldVanish,
  type FaultLabel,
} from './faults.ts';
import { swarmBounds, zeroKnobs } from './profiles.ts';
import type { FaultKnobs } from './types.ts';

const predicates: Record<FaultLabel, (context: SimContext) => boolean> = {
  authFail: shouldFailAuth,
  sendFail: shouldFailSend,
  peerClose: shouldPeerClose,
  abrupt: shouldVanish,
  readStall: shouldStallReader,
};

function contextWith(knobs: FaultKnobs, active: boolean, choices: readonly number[]): SimContext {
  return {
    chooser: Chooser.fromChoices(choices),
    knobs,
    faultsActive: () => active,
  } as unknown as SimContext;
}

describe('the fault table and its predicates', () => {
  it('has one predicate per row, each reading its own knob through one chooser call', () => {
    expect(Object.keys(predicates).sort()).toEqual([...faultLabels].sort());
    for (const label of faultLabels) {
      const knobs = { ...zeroKnobs, [faultTable[label].knob]: 1_000 };
      const on = contextWith(knobs, true, [999_999]);
      expect(predicates[label](on), label).toBe(true);
      expect(on.chooser.taken, label).toEqual([999_999]);
      expect([...on.chooser.chances.keys()], label).toEqual([label]);
    }
  });

  it('reads nothing while the knob is 0 or once faults healed (the heal rule, in one place)', () => {
    for (const label of faultLabels) {
      const off = contextWith(zeroKnobs, true, [999_999]);
      expect(predicates[label](off), label).toBe(false);
      const healed = contextWith({ ...zeroKnobs, [faultTable[label].knob]: 1_000_000 }, false, [999_999]);
      expect(predicates[label](healed), label).toBe(false);
      expect([...off.chooser.taken, ...healed.chooser.taken], label).toEqual([]);
    }
  });

  it('every knob has a zero default and a swarm bound (one table of swarm bounds)', () => {
    const knobs = Object.keys(zeroKnobs).filter((k) => k !== 'latencyMsMax');
    expect(
      Object.keys(swarmBounds)
        .filter((k) => k !== 'latencySpreadMs')
        .sort(),
    ).toEqual(knobs.sort());
    for (const row of Object.values(faultTable)) expect(Object.keys(zeroKnobs)).toContain(row.knob);
  });
});
