import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  isTransition,
  isTransitionOn,
  mermaidDiagram,
  phases,
  seedPhaseNames,
  stayInputs,
  transitions,
  triggerOf,
} from './transitions.ts';

describe('transition table (SPEC section 4)', () => {
  it('has the happy path connecting -> accepting -> authenticating -> preparing -> ready -> closing -> closed', () => {
    const path = [
      'connecting',
      'accepting',
      'authenticating',
      'preparing',
      'ready',
      'closing',
      'closed',
    ] as const;
    for (let i = 0; i + 1 < path.length; i++) expect(isTransition(path[i]!, path[i + 1]!)).toBe(true);
  });

  it('lets every phase but closed reach closed, and every phase before closing reach closing', () => {
    for (const phase of phases) {
      if (phase === 'closed') continue;
      expect(isTransition(phase, 'closed')).toBe(true);
      expect(isTransitionOn(phase, 'closed', 'peerClose')).toBe(true);
      expect(isTransitionOn(phase, 'closed', 'transportError')).toBe(true);
      if (phase !== 'closing') expect(isTransitionOn(phase, 'closing', 'appClose')).toBe(true);
    }
  });

  it('has no edge out of closed, no self-edge and no skip such as connecting -> ready', () => {
    for (const phase of phases) {
      expect(isTransition('closed', phase)).toBe(false);
      expect(isTransition(phase, phase)).toBe(false);
    }
    expect(isTransition('connecting', 'ready')).toBe(false);
    expect(isTransition('connecting', 'preparing')).toBe(false);
    expect(isTransition('ready', 'preparing')).toBe(false);
  });

  it('lists each (from, to) pair once and never a trigger both as a move and a stay', () => {
    const pairs = transitions.map((t) => `${t.from}->${t.to}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    for (const edge of transitions) {
      for (const trigger of edge.on) {
        const stays = stayInputs[edge.from].includes(trigger);
        // heartbeat stays unless the pong limit is reached: the one documented double role.
        expect(stays && trigger !== 'timer:heartbeat').toBe(false);
      }
    }
  });

  it('names timers as triggers', () => {
    expect(triggerOf({ type: 'timerFired', name: 'auth' })).toBe('timer:auth');
    expect(triggerOf({ type: 'connect' })).toBe('connect');
  });

  it('gives each phase its seed names, each seed name once', () => {
    const names = phases.flatMap((p) => seedPhaseNames[p]);
    expect(new Set(names).size).toBe(names.length);
    expect(seedPhaseNames.preparing).toContain('SERVICES_READY');
    expect(seedPhaseNames.closed).toEqual(['DISCONNECTED', 'CLOSED', 'FAILED']);
  });

  it('draws one diagram line per edge', () => {
    const diagram = mermaidDiagram();
    expect(diagram.startsWith('stateDiagram-v2\n')).toBe(true);
    for (const edge of transitions)
      expect(diagram).toContain(`  ${edge.from} --> ${edge.to}: ${edge.on.join(', ')}`);
  });

  it('docs/core.md holds exactly the generated diagram (they never drift)', () => {
    const doc = readFileSync(new URL('../../docs/core.md', import.meta.url), 'utf8');
    const block = /```mermaid\n([\s\S]*?)\n```/.exec(doc);
    expect(block?.[1]).toBe(mermaidDiagram());
  });
});
