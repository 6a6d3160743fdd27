/**
 * Experiment for docs/findings.md §(c): does handshake latency alone ever produce
 * "Need to call accept first"? Generated scenarios with every appClose, peerClose and abrupt
 * removed and the four fault rates zeroed; all latency kept (hostile's 500 ms handshake too).
 *
 * Run: npx tsx bench/findings/latencyOnlySweep.ts [runs per profile, default 300]
 */
import { argv } from 'node:process';
import type { Scenario } from '../../src/sim/types.ts';
import { sweep } from './sweep.ts';

const needAccept = 'Need to call "accept" first';

function latencyOnly(s: Scenario): Scenario {
  const commands = s.commands.filter(
    (c) => c.kind !== 'appClose' && c.kind !== 'peerClose' && c.kind !== 'abrupt',
  );
  const knobs = {
    ...s.knobs,
    peerClosePerMillion: 0,
    abruptDisconnectPerMillion: 0,
    sendFailurePerMillion: 0,
    authFailurePerMillion: 0,
  };
  return { ...s, knobs, commands };
}

const runs = Number(argv[2] ?? 300);
const rows = await sweep(latencyOnly, runs);
console.log(`latency only, ${runs} generated scenarios per profile (fast-check seed 42)\n`);
const header = ['design'.padEnd(9), 'profile'.padEnd(9), 'runs'.padStart(5)];
console.log([...header, `"Need to call accept first"`, 'P3 runs', 'RuntimeErrors'].join('  '));
for (const r of rows) {
  let needs = 0;
  for (const [k, n] of r.runtimeErrors) if (k.includes(needAccept)) needs += n;
  const errors = [...r.runtimeErrors.values()].reduce((a, b) => a + b, 0);
  const cells = [
    r.design.padEnd(9),
    r.profile.padEnd(9),
    String(r.runs).padStart(5),
    String(needs).padStart(27),
    String(r.violated.get('P3') ?? 0).padStart(7),
    String(errors).padStart(13),
  ];
  console.log(cells.join('  '));
}
console.log('\nRuntimeErrors by message:');
for (const r of rows) {
  for (const [k, n] of r.runtimeErrors) console.log(`  ${r.design} ${r.profile}: ${n} x ${k}`);
}
