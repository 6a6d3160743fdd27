/**
 * P10 eventually-settled (SPEC section 7): once inputs stop and the network heals, every
 * connection is ready or closed within a bounded simulated time, with no timer left behind.
 */
import { assertNever } from '../core/assertNever.ts';
import type { HarnessSettled } from '../trace/entry.ts';
import { phasesOf } from './connectionFacts.ts';
import { defineProperty, type PropertyDef } from './fold.ts';
import { Findings } from './findings.ts';
import { where } from './frames.ts';
import { HandlerLifetimes } from './handlerLifetime.ts';
import { referencePhaseOf } from './phaseNames.ts';
import type { CheckContext } from './propertyTypes.ts';
import { StaleTimers } from './staleTimers.ts';

/**
 * Violated by `harness/unsettled` (the message carries the harness's reason), by
 * `harness/timersPending` (with `conn`: timers of that closed connection, reducer designs;
 * without: timers left once every connection closed), by a `harness/settled` that lists a connection neither `ready`
 * nor `closed` (after mapping through the design's phase aliases), by a trace that
 * ends with no harness verdict at all, and by a timer judged over its life
 * (`staleTimers`): a reducer design's timer armed in one phase, never cancelled when that
 * phase ended, that fires in a later phase or into the closed connection (the finding names
 * the rejected input it produced, if any). Always exercised: every run ends.
 *
 * Real traces with handler lifetimes (`app/handlerStarted`, handlerLifetime.ts): a handler
 * still running, or still sending, more than `handlerSettleMs` (15 s) after its connection closed
 * is a violation (a zombie send loop); such a trace needs no harness verdict, and is
 * exercised by each handler whose connection closed that long before the trace ends.
 *
 * Only what a design owns is charged: its timers (`core:<conn>:<timer>`, a handler's `sleep`,
 * `wait_for`, task steps) and its tasks, never the harness's own (network pipes `net:<conn>:up`
 * / `down`, write completions `write:<conn>`, workload commands; src/sim/harnessTimers.ts).
 * The run delivers the frames still on the wire at the settle bound once every connection
 * closed (a close frame and the browser's answer arrive, as on a real network), and
 * `harness/timersPending` never lists a harness timer (SPEC section 8).
 *
 * @example p10EventuallySettled.check(run, ctx).message // 'unsettled: c1 stuck in CONNECTING (t=10400ms)'
 */
export const p10EventuallySettled: PropertyDef = defineProperty({
  id: 'P10',
  name: 'eventually-settled',
  summary:
    'Once inputs stop and faults heal, every connection ends ready or closed within a bounded ' +
    'simulated time, with no task still waiting and no timer left pending after close.',
  precondition: 'the end of a run',
  reads: ['harness', 'design', 'app'],
  init(run, ctx) {
    const findings = new Findings('P10');
    findings.exercised = 1;
    return {
      findings,
      run,
      verdictSeen: false,
      stale: new StaleTimers(ctx),
      handlers: new HandlerLifetimes(),
      ctx,
    };
  },
  step(state, entry) {
    state.stale.step(entry);
    state.handlers.step(entry);
    if (entry.actor !== 'harness') return;
    const { at } = where(entry);
    switch (entry.action) {
      case 'unsettled':
        state.verdictSeen = true;
        // A trace file's harness/unsettled may lack its detail (traceFormat.ts does not require it).
        state.findings.violate([entry.i], `unsettled: ${entry.detail?.reason ?? 'no reason given'} ${at}`);
        return;
      case 'timersPending': {
        const { count, names } = entry.detail;
        const after = entry.conn === null ? 'every connection closed' : 'it closed';
        const prefix = entry.conn === null ? '' : `${entry.conn}: `;
        state.findings.violate(
          [entry.i],
          `${prefix}${count} timer(s) pending after ${after}: ${names.join(', ')} ${at}`,
        );
        return;
      }
      case 'settled':
        state.verdictSeen = true;
        judgeSettled(entry, state.findings, state.ctx);
        return;
      case 'log':
        return;
      default:
        assertNever(entry);
    }
  },
  stepOther(state, record) {
    state.stale.stepOther(record);
  },
  finish({ findings, run, verdictSeen, stale, handlers }, facts) {
    for (const timer of stale.finish()) findings.violate(timer.steps, timer.message);
    const lifetimes = handlers.finish(facts.closedAt, run.trace);
    for (const zombie of lifetimes.findings) findings.violate(zombie.steps, zombie.message);
    if (lifetimes.recorded && !verdictSeen) {
      // No harness verdict to read: only the handlers judged count (none: not exercised).
      findings.exercised = lifetimes.judged;
      return findings.verdict();
    }
    if (!verdictSeen) {
      const last = run.trace[run.trace.length - 1];
      const steps = last === undefined ? [] : [last.i];
      findings.violate(steps, 'the run ended without a harness verdict (no settled, no unsettled)');
    }
    return findings.verdict();
  },
});

/** A `harness/settled` listing a connection neither ready nor closed (through the aliases). */
function judgeSettled(entry: HarnessSettled, findings: Findings, ctx: CheckContext): void {
  const { at } = where(entry);
  for (const [conn, phase] of Object.entries(phasesOf(entry.detail.phases))) {
    const mapped = referencePhaseOf(phase, ctx);
    if (mapped === 'ready' || mapped === 'closed') continue;
    findings.violate([entry.i], `${conn} settled in ${phase}, neither ready nor closed ${at}`);
  }
}
