/**
 * Runs one scenario against one design on a private fake clock and returns the trace.
 * The same design, scenario and options give a byte-identical trace.
 */
import { assertNever } from '../core/assertNever.ts';
import { defaultConfig } from '../core/index.ts';
import type { LifecycleConfig } from '../core/types.ts';
import { CulpritTracker } from './abortCulprit.ts';
import { Chooser } from './chooser.ts';
import type { SimContext } from './context.ts';
import type { Driver } from './driver.ts';
import { errorKindOf, errorMessageOf, errorNameOf, isModelledError } from './errors.ts';
import { HandlerDriver } from './handlerDriver.ts';
import { isHarnessTimer, isTransportTimer } from './harnessTimers.ts';
import { ReducerDriver } from './reducerDriver.ts';
import { Runtime, type RuntimeTask } from './runtime.ts';
import { SimServer } from './server.ts';
import { faultWindowMs } from './profiles.ts';
import { createServices } from './services.ts';
import { harnessQuietTurns, quietTurns, SimClock } from './simClock.ts';
import { TraceRecorder } from './trace.ts';
import type { Command, Design, RunResult, Scenario, SimDesign } from './types.ts';

/** Options of one run. */
export interface RunOptions {
  /** Lifecycle config handed to the design (default: the core's `defaultConfig`). */
  readonly config?: LifecycleConfig;
  /** Simulated ms after faults healed (the last command plus `faultWindowMs`) for the system to settle (default 10 000). */
  readonly settleMs?: number;
  /**
   * Hard bound on simulated time (default: last command + settleMs). Once every connection
   * closed, frames still on the wire then arrive within two latencies of it (deliverInFlight).
   */
  readonly boundMs?: number;
  /** Overrides the scenario's `choices` (e.g. `Chooser.fromSeed(seed)`). */
  readonly chooser?: Chooser;
  /**
   * When the run aborts with several connections open, run it again with the design's
   * runtime calls attributed to connections, so `harness/unsettled` names the culprit
   * (src/sim/abortCulprit.ts). Default false: unattributed (`detail.culprit` null).
   */
  readonly attributeAborts?: boolean;
  /** Receives the run's clock once the run ended (tests read `longestQuietGap()`). */
  readonly onClock?: (clock: SimClock) => void;
}

/** Default settling time after the last command, in simulated ms. */
export const defaultSettleMs = 10_000;

/** Phases a settled connection may be in (P10). */
const settledPhases: readonly string[] = ['ready', 'closed'];

/**
 * Runs `scenario` against `design` (a reducer or handler design; a Python design runs in the
 * Python runner, src/python). Never throws because of the design: its exceptions
 * are written to the trace and the run goes on. Not pure (it runs the design), but
 * deterministic.
 *
 * @example
 * const result = await runScenario(reference, {
 *   knobs: profiles.lan, environment: 'production', choices: [],
 *   commands: [{ atMs: 0, kind: 'open', conn: 'c1', userId: 'u1' }],
 * });
 * result.trace.at(-1)?.action; // 'settled'
 */
export async function runScenario(
  design: Design,
  scenario: Scenario,
  options: RunOptions = {},
): Promise<RunResult> {
  if (design.kind === 'python') {
    throw new TypeError(
      `${design.name} is a Python design: the Python runner runs it (src/python), not the simulation`,
    );
  }
  const first = await runOnce(design, scenario, options, null);
  // An abort is charged to the connection that caused it. With one connection open that is
  // it; with several, `attributeAborts` makes the run again, identically, with the design's
  // runtime calls attributed (a given chooser has been consumed, so such a run stays
  // unattributed). Off by default: the tracked run is several times slower.
  if (
    options.attributeAborts !== true ||
    !first.needsCulprit ||
    design.kind !== 'handler' ||
    options.chooser !== undefined
  )
    return first.result;
  const tracker = new CulpritTracker();
  try {
    return (await runOnce(tracker.wrap(design), scenario, options, tracker)).result;
  } finally {
    tracker.dispose();
  }
}

/** The run's two harness moments: faults heal, then the run ends. */
interface RunMoments {
  healed: boolean;
  ended: boolean;
}

async function runOnce(
  design: SimDesign,
  scenario: Scenario,
  options: RunOptions,
  tracker: CulpritTracker | null,
): Promise<{ readonly result: RunResult; readonly needsCulprit: boolean }> {
  const config = { ...(options.config ?? defaultConfig), ...scenario.configOverrides };
  const settleMs = options.settleMs ?? defaultSettleMs;
  const chooser = options.chooser ?? Chooser.fromScenario(scenario.choices, scenario.tailSeed);
  // A reducer design runs no async code of its own: only the harness's microtasks to drain.
  const clock = new SimClock(design.kind === 'reducer' ? harnessQuietTurns : quietTurns);
  const trace = new TraceRecorder(clock);
  const moments: RunMoments = { healed: false, ended: false };
  const runtime = new Runtime(clock, chooser, (task, error) => writeTaskError(trace, task, error));
  const context: SimContext = {
    clock,
    chooser,
    trace,
    runtime,
    knobs: scenario.knobs,
    faultsActive: () => !moments.healed,
  };
  const server = new SimServer(context, config);
  const driver = driverFor(design, context, server, scenario, config);
  const { commands, healAt, endAt } = timeline(scenario, settleMs, options.boundMs);

  driver.start();
  for (const command of commands) {
    // A command tied to a connection's arrival is scheduled when that connection arrives.
    if (anchorOf(command) !== null) continue;
    clock.setTimer(`command:${command.kind}`, command.atMs, () =>
      runCommand(command, driver, server, trace, commands, clock),
    );
  }
  clock.setSyncTimer('harness:heal', healAt, () => {
    moments.healed = true;
  });
  const endTimer = clock.setSyncTimer('harness:end', endAt, () => {
    moments.ended = true;
  });
  await runToEnd(clock, driver, moments, config.heartbeatIntervalMs > 0);
  clock.clearTimer(endTimer);
  if (moments.ended) await deliverInFlight(clock, driver, endAt + 2 * scenario.knobs.latencyMsMax);
  const opened = [...server.connections.keys()];
  const culprit = tracker?.culprit() ?? (opened.length === 1 ? (opened[0] ?? null) : null);
  writeVerdict(context, driver, design.kind, culprit);
  options.onClock?.(clock);
  const reached = driver.reached?.() ?? null;
  const result = {
    design: design.name,
    trace: trace.entries,
    userOf: server.userOf(),
    config,
    ...(reached === null ? {} : { reached }),
  };
  return { result, needsCulprit: clock.aborted() !== null && culprit === null && tracker === null };
}

/** Writes a design task's failure to the trace: a design error, or a modelled error it logged. */
function writeTaskError(trace: TraceRecorder, task: RuntimeTask<unknown>, error: unknown): void {
  if (!isModelledError(error)) {
    // A design's own code failed (a TypeError, a plain Error): the run is a design error.
    trace.write({
      conn: task.conn,
      actor: 'design',
      action: 'error',
      detail: {
        where: task.name.split(':')[0] ?? task.name,
        error: `${errorNameOf(error)}: ${errorMessageOf(error)}`,
      },
    });
    return;
  }
  trace.write({
    conn: task.conn,
    actor: 'design',
    action: 'log',
    errorKind: errorKindOf(error),
    detail: {
      level: 'error',
      message: `task ${task.name} raised ${errorKindOf(error)}: ${errorMessageOf(error)}`,
    },
  });
}

/** The driver of `design` on `server`, with the services it authenticates through. */
function driverFor(
  design: SimDesign,
  context: SimContext,
  server: SimServer,
  scenario: Scenario,
  config: LifecycleConfig,
): Driver {
  const services = createServices(context, (conn, ok) => {
    const connection = server.connections.get(conn);
    if (connection !== undefined) connection.authOk = ok;
  });
  return design.kind === 'reducer'
    ? new ReducerDriver(context, server, design, services, config)
    : new HandlerDriver(context, server, design, services, scenario.environment, config);
}

/** The scenario's commands in time order, when faults heal and when the run ends. Pure. */
function timeline(
  scenario: Scenario,
  settleMs: number,
  boundMs: number | undefined,
): { readonly commands: readonly Command[]; readonly healAt: number; readonly endAt: number } {
  // Stable sort: commands at the same ms keep their order in the scenario.
  const commands = [...scenario.commands].sort((a, b) => a.atMs - b.atMs);
  // A command timed from its connection's arrival runs at the latest after the slowest
  // handshake and latency the knobs allow, plus its offset.
  const arrivalBound = scenario.knobs.handshakeDelayMsMax + scenario.knobs.latencyMsMax;
  const lastCommandAt = commands.reduce((last, command) => {
    const since = 'sinceConnectMs' in command ? command.sinceConnectMs : undefined;
    return Math.max(last, command.atMs + (since === undefined ? 0 : arrivalBound + since));
  }, 0);
  // Faults fire until the last command's connection could have become ready, then heal;
  // the system then has `settleMs` to settle (P10).
  const healAt = lastCommandAt + faultWindowMs(scenario.knobs);
  const endAt = Math.min(healAt + settleMs, boundMs ?? Number.POSITIVE_INFINITY);
  return { commands, healAt, endAt };
}

/** Fires timers until the run ends, aborts, runs out of timers or only heartbeats are left. */
async function runToEnd(
  clock: SimClock,
  driver: Driver,
  moments: RunMoments,
  heartbeatOn: boolean,
): Promise<void> {
  while (!moments.ended && clock.aborted() === null && clock.pendingCount() > 0) {
    // After a synchronous harness timer the microtask queue is still empty: nothing to drain.
    if (!clock.firedSync() && !(await clock.quiesce())) break;
    // Healed and quiet but for heartbeats: ready connections would ping until the bound,
    // which proves nothing more and costs a trace entry per ping.
    if (
      heartbeatOn &&
      moments.healed &&
      clock.everyPending(isHeartbeatOrEnd) &&
      driver.pending().length === 0
    )
      break;
    if (!moments.ended) clock.fireNext();
  }
  if (clock.aborted() === null) await clock.quiesce();
}

/**
 * At the settle bound, every connection closed, the last frames may still be on the wire: a
 * close frame on its way to the browser, the browser's answer on its way back. A real
 * network delivers them, so the run lets the transport's timers fire before it judges, for
 * as long as the earliest timer is one of them and is due by `until` (the bound plus two
 * latencies: the frame, then the answer it provokes). A design timer first in line stops
 * the delivery: it is the design's, judged as it stands. With a connection still open the
 * run ends at the bound as before (its frames flow for as long as it lives).
 */
async function deliverInFlight(clock: SimClock, driver: Driver, until: number): Promise<void> {
  // `closed` is final: what holds now holds while the frames are delivered.
  if (!Object.values(driver.phases()).every((phase) => phase === 'closed')) return;
  for (;;) {
    if (clock.aborted() !== null) return;
    const next = clock.nextName();
    const due = clock.nextDue();
    if (next === null || due === null || due > until || !isTransportTimer(next)) return;
    clock.fireNext();
    if (!clock.firedSync()) await clock.quiesce();
  }
}

/** The connection whose arrival a command waits for, or null for a command on the clock. */
function anchorOf(command: Command): string | null {
  if (!('sinceConnectMs' in command) || command.sinceConnectMs === undefined) return null;
  return command.anchor ?? ('conn' in command ? command.conn : null);
}

/**
 * Whether the server knows the command's connection. An agent or a cleanup task can only
 * address a connection the app runs for: a command before that is skipped, with a log line.
 */
function arrived(
  command: Command & { readonly conn: string },
  server: SimServer,
  trace: TraceRecorder,
): boolean {
  if (server.connections.get(command.conn)?.arrived === true) return true;
  trace.write({
    conn: command.conn,
    actor: 'harness',
    action: 'log',
    detail: {
      level: 'debug',
      message: `${command.kind} skipped: the server has not seen ${command.conn} yet`,
    },
  });
  return false;
}

const isHeartbeatOrEnd = (name: string): boolean => name === 'harness:end' || name.endsWith(':heartbeat');

function runCommand(
  command: Command,
  driver: Driver,
  server: SimServer,
  trace: TraceRecorder,
  commands: readonly Command[],
  clock: SimClock,
): void {
  switch (command.kind) {
    case 'open': {
      const connection = server.open(command.conn, command.userId);
      // The app runs for a connection once its upgrade request reached the server, as under
      // uvicorn (the endpoint is called then and finds websocket.connect already queued).
      if (connection !== null)
        connection.client.onConnect = () => {
          connection.arrived = true;
          driver.open(connection);
          for (const c of commands) {
            if (anchorOf(c) !== command.conn) continue;
            const since = 'sinceConnectMs' in c ? (c.sinceConnectMs ?? 0) : 0;
            clock.setTimer(`command:${c.kind}`, since, () =>
              runCommand(c, driver, server, trace, commands, clock),
            );
          }
        };
      return;
    }
    case 'emit':
      if (!arrived(command, server, trace)) return;
      return driver.emit(command.conn, command.eventType);
    case 'broadcast':
      return driver.broadcast(command.eventType);
    case 'appClose':
      if (!arrived(command, server, trace)) return;
      return driver.appClose(command.conn, command.code, command.reason);
    case 'peerClose':
      server.connections.get(command.conn)?.client.peerClose(command.code);
      return;
    case 'abrupt':
      server.connections.get(command.conn)?.client.abrupt();
      return;
    case 'clientMessage':
      server.connections.get(command.conn)?.client.message(command.text);
      return;
    default:
      return assertNever(command);
  }
}

// Safety first, then liveness: with faults healed and time run out, every connection must
// be ready or closed and every emit must have returned; say precisely what is not.
// An aborted run stopped every connection where it was: only the abort is reported, on the
// connection that caused it (`culprit`, null when unknown), never the others' frozen phases,
// pending emits or timers (docs/trace.md, `harness/unsettled` with `detail.aborted`).
function writeVerdict(
  context: SimContext,
  driver: Driver,
  kind: Design['kind'],
  culprit: string | null,
): void {
  const { clock, trace } = context;
  const phases = driver.phases();
  const aborted = clock.aborted();
  if (aborted !== null) {
    const by = culprit === null ? 'cause not attributed to a connection' : `caused by ${culprit}`;
    trace.write({
      conn: culprit,
      actor: 'harness',
      action: 'unsettled',
      detail: { reason: `run aborted (${by}): ${aborted}`, aborted, culprit, phases },
    });
    return;
  }
  const reasons: string[] = [];
  reasons.push(...driver.pending());
  for (const [conn, phase] of Object.entries(phases)) {
    if (!settledPhases.includes(phase)) reasons.push(`${conn} is '${phase}', neither ready nor closed`);
  }
  if (reasons.length === 0)
    trace.write({ conn: null, actor: 'harness', action: 'settled', detail: { phases } });
  else
    trace.write({
      conn: null,
      actor: 'harness',
      action: 'unsettled',
      detail: { reason: reasons.join('; '), phases },
    });
  writeTimersPending(context, phases, kind);
}

// SPEC P10: no timer left pending after `closed`. The reducer driver names its timers
// `core:<conn>:<timer>`, and the runtime names a sleep or wait_for deadline of a task that
// belongs to a connection `sleep:<conn>` / `wait_for:<conn>`, so each closed connection's
// leftovers are reported on their own, whatever the other connections do. Any other design
// timer is reported once every connection is closed. The harness's own timers (network
// pipes, write completions, workload commands: src/sim/harnessTimers.ts) are never listed:
// they are not the design's to cancel (SPEC section 8).
function writeTimersPending(context: SimContext, phases: Record<string, string>, kind: Design['kind']): void {
  const { clock, trace } = context;
  let unattributed = clock.pendingNames().filter((name) => !isHarnessTimer(name));
  for (const [conn, phase] of Object.entries(phases)) {
    // The core's timers of a reducer connection, or a handler task's sleep and wait_for
    // deadlines armed for that connection (src/sim/runtime.ts timerName).
    const owned = (name: string): boolean =>
      kind === 'reducer'
        ? name.startsWith(`core:${conn}:`)
        : name === `sleep:${conn}` || name === `wait_for:${conn}`;
    const names = unattributed.filter(owned);
    if (names.length === 0) continue;
    unattributed = unattributed.filter((name) => !owned(name));
    if (phase !== 'closed') continue;
    trace.write({
      conn,
      actor: 'harness',
      action: 'timersPending',
      detail: { count: names.length, names },
    });
  }
  const allClosed = Object.values(phases).every((phase) => phase === 'closed');
  if (allClosed && unattributed.length > 0) {
    trace.write({
      conn: null,
      actor: 'harness',
      action: 'timersPending',
      detail: { count: unattributed.length, names: unattributed },
    });
  }
}
