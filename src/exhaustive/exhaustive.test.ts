import { describe, expect, it } from 'vitest';
import { design as brokenDropCritical } from '../../fixtures/designs/broken-drop-critical.ts';
import { design as brokenOvertake } from '../../fixtures/designs/broken-overtake.ts';
import { reference } from '../designs/reference.ts';
import type { Effect } from '../core/types.ts';
import type { ReducerDesign } from '../sim/types.ts';
import { exhaustiveConfig, exploreExhaustive, type ExhaustiveOptions } from './exhaustive.ts';
import { parsePath, replayPath } from './pathReplay.ts';

const config = exhaustiveConfig(2);
const bounds: ExhaustiveOptions = {
  config,
  connections: 2,
  maxEmits: 2,
  broadcasts: 1,
  maxStates: 1_000_000,
};

describe('exploreExhaustive', () => {
  it('holds every property on the reference over 2 connections, and the space closes', () => {
    const r = exploreExhaustive(reference, bounds);
    expect(r.verdict).toBe('held');
    expect(r.truncated).toBe(false);
    expect(r.violations).toEqual([]);
    // The product of two connections holds more states than one connection alone.
    expect(r.states).toBeGreaterThan(r.localStates);
    expect(r.statesPerDepth.reduce((a, b) => a + b, 0)).toBe(r.states);
  });

  it("finds the overtaking of broken-overtake as P8, confirmed by check's own P8 checker", () => {
    const r = exploreExhaustive(brokenOvertake, bounds);
    expect(r.verdict).toBe('violated');
    const v = r.violations.find((x) => x.property === 'P8');
    expect(v?.message).toMatch(/reached the wire after .*, emitted later/);
    expect(v?.checkedBy).toMatch(/emitted later/);
    // The path replays to the same finding on fresh states.
    const steps = parsePath(v?.path ?? '', 2);
    if (typeof steps === 'string') throw new Error(steps);
    expect(
      replayPath(brokenOvertake, config, { connections: 2, maxEmits: 2, capacity: 2 }, steps).finding
        ?.property,
    ).toBe('P8');
  });

  it('finds the critical drop of broken-drop-critical with a shortest path', () => {
    const r = exploreExhaustive(brokenDropCritical, bounds);
    const v = r.violations.find((x) => x.property === 'P6');
    expect(v?.checkedBy).toMatch(/critical event .* dropped/);
    // capacity 2: connect, a critical head, one more event, and the overflowing third.
    expect(v?.steps).toBe(4);
  });

  it('reports a step that throws as P4 instead of crashing', () => {
    const throwing: ReducerDesign<unknown> = {
      ...(reference as ReducerDesign<unknown>),
      step: () => {
        throw new Error('boom');
      },
    };
    const r = exploreExhaustive(throwing, bounds);
    expect(r.violations[0]).toMatchObject({ property: 'P4' });
    expect(r.violations[0]?.message).toMatch(/step threw on connect in connecting: boom/);
  });

  it('calls an exploration cut by the state cap incomplete, not held', () => {
    const r = exploreExhaustive(reference, { ...bounds, maxStates: 500 });
    expect(r.truncated).toBe(true);
    expect(r.verdict).toBe('incomplete');
  });

  it('finds the same violations with and without symmetry and partial-order reduction', () => {
    for (const design of [reference, brokenOvertake, brokenDropCritical] as ReducerDesign<unknown>[]) {
      const reduced = exploreExhaustive(design, bounds);
      const full = exploreExhaustive(design, { ...bounds, symmetry: false, partialOrder: false });
      expect(reduced.violations.map((v) => [v.property, v.steps])).toEqual(
        full.violations.map((v) => [v.property, v.steps]),
      );
      expect(reduced.states).toBeLessThan(full.states);
    }
  });
});

/** The reference with its effects rewritten by `edit`: one broken rule each. */
function withEffects(name: string, edit: (e: Effect) => Effect[]): ReducerDesign<unknown> {
  const base = reference as ReducerDesign<unknown>;
  return {
    ...base,
    name,
    step(state, input) {
      const r = base.step(state, input);
      return { state: r.state, effects: r.effects.flatMap(edit) };
    },
  };
}

describe('exploreExhaustive judges each property as check does', () => {
  const base = reference as ReducerDesign<unknown>;
  it.each([
    ['P11', withEffects('bad-code', (e) => (e.type === 'close' ? [{ ...e, code: 1006 }] : [e]))],
    ['P7', withEffects('twice', (e) => (e.type === 'outcome' ? [e, e] : [e]))],
    [
      'P8',
      withEffects('seq-gap', (e) =>
        e.type === 'send' && e.frame.kind === 'event'
          ? [{ ...e, frame: { ...e.frame, seq: e.frame.seq + 1 } }]
          : [e],
      ),
    ],
    ['P9', { ...base, name: 'over', bufferedCount: (s: unknown) => base.bufferedCount(s) * 3 }],
    [
      'P4',
      {
        ...base,
        name: 'skip',
        phaseOf: (s: unknown) => (base.phaseOf(s) === 'authenticating' ? 'ready' : base.phaseOf(s)),
      },
    ],
  ] as const)("%s: found, and check's own checker flags the replayed trace", (property, design) => {
    const r = exploreExhaustive(design, { ...bounds, connections: 1 });
    const v = r.violations.find((x) => x.property === property);
    expect(v).toBeDefined();
    expect(v?.checkedBy).not.toBeNull();
  });
});
