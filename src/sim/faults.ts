/**
 * The fault table (SPEC section 8) and its predicates: every fault the simulation injects,
 * the knob that sets its rate, and one predicate per fault that reads that knob through one
 * chooser call. The heal rule lives here only: once the last command ran
 * (`context.faultsActive()` is false) no fault fires and no choice is read for it. A fault
 * knob at 0 reads nothing either, so turning a fault on in one profile leaves every other
 * profile's runs as they were. The census counts every fault of this table.
 *
 * Adding a fault: a knob in `FaultKnobs` (types.ts), a row of the table (faultTable.ts), a
 * predicate below and its call where the fault happens, and the knob's zero, profile rates and
 * swarm bound (profiles.ts); the census counts it, and its PRNG stream is the table's.
 */
import type { SimContext } from './context.ts';
import { faultTable, type FaultLabel } from './faultTable.ts';

export { faultLabels, faultTable, type FaultLabel, type FaultRow } from './faultTable.ts';

/** Whether `label` fires now: its knob is on, faults are active, and the chooser says so. */
function fires(context: SimContext, label: FaultLabel): boolean {
  const rate = context.knobs[faultTable[label].knob] ?? 0;
  return rate > 0 && context.faultsActive() && context.chooser.chance(label, rate);
}

/** An authentication fails (`authFailurePerMillion`, per authentication). */
export function shouldFailAuth(context: SimContext): boolean {
  return fires(context, 'authFail');
}

/** A write finds the connection broken (`sendFailurePerMillion`, per data write). */
export function shouldFailSend(context: SimContext): boolean {
  return fires(context, 'sendFail');
}

/** The browser closes with 1001 (`peerClosePerMillion`, per data frame it reads). */
export function shouldPeerClose(context: SimContext): boolean {
  return fires(context, 'peerClose');
}

/** The browser vanishes without a close frame (`abruptDisconnectPerMillion`, per data frame it reads). */
export function shouldVanish(context: SimContext): boolean {
  return fires(context, 'abrupt');
}

/** The browser's reader stalls before a frame (`readStallPerMillion`, per frame reaching it). */
export function shouldStallReader(context: SimContext): boolean {
  return fires(context, 'readStall');
}

/** How long a reader stall lasts: 1 to `readStallMsMax` ms (one choice). */
export function readStallMs(context: SimContext): number {
  return 1 + context.chooser.choose('readStallMs', Math.max(0, (context.knobs.readStallMsMax ?? 1) - 1));
}

/** How late a busy tab answers a ping: 0 to `pongDelayMsMax` ms while faults are active. */
export function pongDelayMs(context: SimContext): number {
  return context.faultsActive() ? context.chooser.choose('pongDelay', context.knobs.pongDelayMsMax ?? 0) : 0;
}
