import { describe, expect, it } from 'vitest';
import { ConfigError } from './configError.ts';
import { bufferedCount, defaultConfig, initial, phaseOf } from './state.ts';
import type { LifecycleConfig } from './types.ts';

describe('initial() and the config', () => {
  it('starts connecting with an empty buffer', () => {
    const s = initial(defaultConfig);
    expect(phaseOf(s)).toBe('connecting');
    expect(bufferedCount(s)).toBe(0);
  });

  it('has the documented defaults', () => {
    expect(defaultConfig).toMatchObject({
      capacity: 8,
      maxInFlight: 4,
      handshakeTimeoutMs: 5000,
      batching: null,
    });
    expect([...defaultConfig.criticalTypes].sort()).toEqual([
      'agent_completed',
      'agent_started',
      'tool_completed',
      'tool_executing',
    ]);
  });

  const bad: [string, Partial<Record<keyof LifecycleConfig, unknown>>][] = [
    ['capacity', { capacity: 0 }],
    ['capacity', { capacity: 1.5 }],
    ['maxInFlight', { maxInFlight: -1 }],
    ['missedPongLimit', { missedPongLimit: 0 }],
    ['criticalTypes', { criticalTypes: 'agent_started' }],
    ['authTimeoutMs', { authTimeoutMs: -1 }],
    ['handshakeTimeoutMs', { handshakeTimeoutMs: Number.NaN }],
    ['batching.size', { batching: { size: 0, flushMs: 100 } }],
    ['batching.flushMs', { batching: { size: 2, flushMs: -5 } }],
  ];
  for (const [field, patch] of bad) {
    it(`refuses ${field} = ${JSON.stringify(patch[Object.keys(patch)[0] as keyof LifecycleConfig])}`, () => {
      const config = { ...defaultConfig, ...patch } as LifecycleConfig;
      expect(() => initial(config)).toThrow(ConfigError);
      try {
        initial(config);
      } catch (error) {
        expect((error as ConfigError).field).toBe(field);
        expect((error as Error).message).toContain(field);
      }
    });
  }
});
