/**
 * Experiment for docs/findings.md, the P11 row: with the same generated scenarios but every
 * `appClose` given a valid code and reason, is P11 still violated? (The generator feeds
 * 1005, 1006, 999 and 124-byte reasons on purpose, to test the reference's sanitising.)
 *
 * Run: npx tsx bench/findings/validClosesSweep.ts [runs per profile, default 300]
 */
import { Buffer } from 'node:buffer';
import { argv } from 'node:process';
import type { Command, Scenario } from '../../src/sim/types.ts';
import { sweep } from './sweep.ts';

// RFC 6455 §5.5: a control frame's payload is at most 125 bytes, so a close reason is at
// most 123 bytes of UTF-8 after the 2-byte code (not 123 UTF-16 units: '€' is 1 unit, 3 bytes).
const maxReasonBytes = 123;

// RFC 6455 §7.4: codes an endpoint may send in a close frame.
const sendable = (code: number): boolean =>
  (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);

function validCloses(s: Scenario): Scenario {
  const commands = s.commands.map((c): Command =>
    c.kind === 'appClose'
      ? {
          ...c,
          code: sendable(c.code) ? c.code : 1000,
          reason: Buffer.byteLength(c.reason, 'utf8') > maxReasonBytes ? '' : c.reason,
        }
      : c,
  );
  return { ...s, commands };
}

const runs = Number(argv[2] ?? 300);
const rows = await sweep(validCloses, runs);
console.log(`valid app closes, ${runs} generated scenarios per profile (fast-check seed 42)\n`);
console.log(
  ['design'.padEnd(9), 'profile'.padEnd(9), 'runs'.padStart(5), 'P11 runs', 'violated (runs)'].join('  '),
);
for (const r of rows) {
  const violated = [...r.violated].map(([id, n]) => `${id}x${n}`).join(' ') || 'none';
  const cells = [
    r.design.padEnd(9),
    r.profile.padEnd(9),
    String(r.runs).padStart(5),
    String(r.violated.get('P11') ?? 0).padStart(8),
    violated,
  ];
  console.log(cells.join('  '));
}
console.log('\nRuntimeErrors by message:');
for (const r of rows) {
  for (const [k, n] of r.runtimeErrors) console.log(`  ${r.design} ${r.profile}: ${n} x ${k}`);
}
