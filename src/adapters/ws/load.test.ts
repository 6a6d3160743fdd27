import { describe, expect, it } from 'vitest';
import { runLoad } from '../../../bench/loadRun.ts';

// The loopback load of bench/load.ts at 50 connections (the bench runs 1,000): real ws
// clients on 127.0.0.1, 10% abrupt destroys, 10% peer closes, 10% slow readers; the server's
// recorded trace is judged by the same checkers as a simulated run.
describe('load on loopback, 50 connections', () => {
  it('accounts for every event (P7) and holds P2, P8, P11 and the others that apply', async () => {
    const report = await runLoad({ connections: 50, events: 2000, seed: 7, maxMs: 30_000 });
    expect(report.aborted).toBe(false);
    expect(report.violations).toEqual([]);
    for (const id of ['P2', 'P7', 'P8', 'P11', 'P13'] as const) expect(report.verdicts[id]).toBe('held');
    expect(report.abrupt).toBeGreaterThan(0);
    // Every emit has one outcome the caller saw.
    const settled = Object.values(report.outcomes).reduce((a, b) => a + b, 0);
    expect(settled).toBe(report.emitted);
  });
});
