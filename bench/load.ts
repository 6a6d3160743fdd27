/**
 * `npx tsx bench/load.ts [connections] [events] [seed]`: the loopback load of loadRun.ts at
 * 1,000 connections by default; prints the figures and the property verdicts, exits 1 when
 * P2, P7, P8 or P11 does not hold (or the run hit its time bound).
 */
import { runLoad } from './loadRun.ts';

const [connections = 1000, events = 50_000, seed = 1] = process.argv.slice(2).map(Number);
const report = await runLoad({ connections, events, seed, maxMs: 120_000 });
const { verdicts, violations, ...figures } = report;
console.log(`load on 127.0.0.1: ${connections} connections, ${events} events, seed ${seed}`);
for (const [key, value] of Object.entries(figures))
  console.log(`  ${key.padEnd(20)} ${JSON.stringify(value)}`);
console.log(
  `  verdicts             ${Object.entries(verdicts)
    .map(([id, s]) => `${id} ${s}`)
    .join(', ')}`,
);
for (const v of violations) console.log(`  VIOLATED ${v}`);
const required = ['P2', 'P7', 'P8', 'P11'] as const;
const ok = !report.aborted && required.every((id) => verdicts[id] === 'held');
console.log(ok ? 'P2, P7, P8, P11 held' : 'FAILED: a required property did not hold or the run was aborted');
process.exitCode = ok ? 0 : 1;
