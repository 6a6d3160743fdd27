/**
 * A bare simulation without a design: clock, chooser, trace, runtime and server, for tests
 * of the socket, network and runtime, and for tools that drive sockets by hand.
 */
import { Chooser } from './chooser.ts';
import type { SimContext } from './context.ts';
import { zeroKnobs } from './profiles.ts';
import { Runtime } from './runtime.ts';
import { SimServer } from './server.ts';
import { defaultConfig } from '../core/index.ts';
import { SimClock } from './simClock.ts';
import { TraceRecorder } from './trace.ts';
import { errorMessageOf } from './errors.ts';
import type { FaultKnobs } from './types.ts';

/** What `createRig` returns. */
export interface Rig {
  readonly context: SimContext;
  readonly server: SimServer;
  /** Runs timers and microtasks until nothing is scheduled (or `untilMs` is passed). */
  drain(untilMs?: number): Promise<void>;
}

/**
 * A simulation with no design attached; faults are always active (tests pass the knobs
 * they want, zero by default).
 *
 * @example
 * const rig = createRig();
 * const conn = rig.server.open('c1', 'u1');
 * await rig.drain();
 */
export function createRig(knobs: FaultKnobs = zeroKnobs, choices: readonly number[] = []): Rig {
  const clock = new SimClock();
  const trace = new TraceRecorder(clock);
  const chooser = Chooser.fromChoices(choices);
  const runtime = new Runtime(clock, chooser, (task, error) => {
    trace.write({
      conn: task.conn,
      actor: 'design',
      action: 'log',
      detail: { level: 'error', message: `task ${task.name}: ${errorMessageOf(error)}` },
    });
  });
  const context: SimContext = { clock, chooser, trace, runtime, knobs, faultsActive: () => true };
  const server = new SimServer(context, defaultConfig);
  return {
    context,
    server,
    async drain(untilMs = Number.POSITIVE_INFINITY): Promise<void> {
      // Quiesce first: timers are often created by microtasks the last timer started.
      while (await clock.quiesce()) {
        const due = clock.nextDue();
        if (due === null || due > untilMs) return;
        clock.fireNext();
      }
    },
  };
}
