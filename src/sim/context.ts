/**
 * What every part of one run shares: clock, chooser, trace, runtime, fault knobs.
 */
import type { Chooser } from './chooser.ts';
import type { Runtime } from './runtime.ts';
import type { SimClock } from './simClock.ts';
import type { TraceRecorder } from './trace.ts';
import type { FaultKnobs } from './types.ts';

/** The per-run context handed to the network, clients, sockets, services and drivers. */
export interface SimContext {
  readonly clock: SimClock;
  readonly chooser: Chooser;
  readonly trace: TraceRecorder;
  readonly runtime: Runtime;
  readonly knobs: FaultKnobs;
  /** False once the last command ran: faults are healed and no new fault is drawn. */
  faultsActive(): boolean;
}

/** A latency draw in [latencyMsMin, latencyMsMax] (reads one choice unless the range is one value). */
export function drawLatency(context: SimContext): number {
  const { latencyMsMin, latencyMsMax } = context.knobs;
  const min = Math.max(0, Math.trunc(latencyMsMin));
  const max = Math.max(min, Math.trunc(latencyMsMax));
  return min + context.chooser.choose('latency', max - min);
}
