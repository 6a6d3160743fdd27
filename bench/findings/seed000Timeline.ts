/**
 * Experiment for docs/findings.md §(c).1: seed 000 §1.1's timeline, written by hand, run on
 * naive, seed-000, seed-001 and seed-004 (default readings). The connection opens at 0 ms
 * and its upgrade reaches the server at 100 ms (handshake delay), where the endpoint starts
 * and accepts; authentication takes 48 ms; agent events are due at 75 ms (before the server
 * has seen the connection, so the harness skips it) and at 400 ms. There is no close of any
 * kind. For each design it prints the properties violated (with their timelines), every
 * error an app call raised and when each `receive` ran, with the socket's application state.
 *
 * Run: npx tsx bench/findings/seed000Timeline.ts
 */
import { checkTrace } from '../../src/properties/checkTrace.ts';
import { contextOf } from '../../src/explore/explore.ts';
import { cutTimeline, renderTimeline } from '../../src/report/timeline.ts';
import { zeroKnobs } from '../../src/sim/profiles.ts';
import { runScenario } from '../../src/sim/runScenario.ts';
import type { Scenario } from '../../src/sim/types.ts';
import { design as naive } from '../../fixtures/designs/naive.ts';
import { design as seed000 } from '../../fixtures/designs/seed-000.ts';
import { design as seed001 } from '../../fixtures/designs/seed-001.ts';
import { design as seed004 } from '../../fixtures/designs/seed-004.ts';

const scenario: Scenario = {
  knobs: { ...zeroKnobs, handshakeDelayMsMax: 100, authDelayMsMax: 50 },
  environment: 'production',
  commands: [
    { atMs: 0, kind: 'open', conn: 'c1', userId: 'u1' },
    { atMs: 75, kind: 'emit', conn: 'c1', eventType: 'agent_started' },
    { atMs: 400, kind: 'emit', conn: 'c1', eventType: 'agent_completed' },
  ],
  // Every choice reads 201: task hops 201 % 3 = 0, handshake 201 % 101 = 100 ms,
  // auth 201 % 51 = 48 ms.
  choices: Array.from({ length: 64 }, () => 201),
};

for (const design of [naive, seed000, seed001, seed004]) {
  const run = await runScenario(design, scenario);
  const verdicts = checkTrace(run, contextOf(design, 'cloud-run'));
  const violated = verdicts.filter((v) => v.status === 'violated');
  console.log(`\n== ${design.name}: violated ${violated.map((v) => v.id).join(', ') || 'none'}`);
  for (const e of run.trace) {
    if (e.actor === 'app' && e.error !== undefined) {
      console.log(`  raised at ${e.t}ms by ${e.action}: ${e.errorKind ?? ''} ${e.error}`);
    }
  }
  const receives = run.trace.filter((e) => e.actor === 'app' && e.action === 'receive');
  console.log(
    `  receive called: ${receives.map((e) => `${e.t}ms app=${e.before?.app ?? '?'}`).join(', ') || 'never'}`,
  );
  for (const v of violated) {
    console.log(`${v.id}: ${v.message}`);
    console.log(renderTimeline(cutTimeline(run.trace, v.steps), v.steps));
  }
}
