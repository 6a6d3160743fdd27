/**
 * The design contract (SPEC sections 3 and 9): the ASGI-faithful socket a design talks to,
 * the kinds of design (reducer, handler, Python), and the environment, runtime and services
 * handed to a handler design. ws-lifecycle/design re-exports it (src/design/index.ts);
 * designContract.test-d.ts pins what compiles.
 *
 * Types only.
 */
import type { AgentEvent, Input, JsonValue, LifecycleConfig, Phase, StepResult } from '../core/types.ts';
import type { FrameCodec } from '../trace/frameCodec.ts';
import type { AsgiMessage, WebSocketState } from '../trace/types.ts';

// ---------------------------------------------------------------------------------------
// Socket (SPEC section 3)

/**
 * The server socket a design uses: Starlette's `WebSocket`, method for method, with its
 * state machine and its exact error messages. Errors are `RuntimeError` and
 * `WebSocketDisconnect` from src/sim/errors.ts.
 */
export interface SimSocket {
  readonly clientState: WebSocketState;
  readonly applicationState: WebSocketState;
  receive(): Promise<AsgiMessage>;
  send(message: AsgiMessage): Promise<void>;
  accept(subprotocol?: string): Promise<void>;
  receiveText(): Promise<string>;
  receiveJson(): Promise<JsonValue>;
  sendText(data: string): Promise<void>;
  sendJson(data: JsonValue): Promise<void>;
  close(code?: number, reason?: string): Promise<void>;
}

// ---------------------------------------------------------------------------------------
// Designs (SPEC section 9)

/** A pure reducer design; the reference core is one. The driver executes its effects. */
export interface ReducerDesign<S = unknown> {
  readonly kind: 'reducer';
  readonly name: string;
  initial(config: LifecycleConfig): S;
  step(state: S, input: Input): StepResult<S>;
  /** The phase of a state, recorded in the trace (P4, P10). */
  phaseOf(state: S): Phase;
  /** Events held in the design's buffer, recorded in the trace (P9). */
  bufferedCount(state: S): number;
  /** How the checkers read this design's data frames (P7, P8, P12, P14); default `defaultFrameCodec`. */
  readonly decodeFrame?: FrameCodec;
}

/** Identity of one simulated connection as the design sees it. */
export interface ServerConnection {
  readonly id: string;
  readonly userId: string;
  readonly socket: SimSocket;
}

/**
 * The CPython version whose asyncio the runtime models. They differ in `wait_for`: 3.11
 * wraps the awaited coroutine in a new task (it starts one scheduler turn later), 3.12
 * runs it inline in the calling task.
 */
export type PythonVersion = '3.11' | '3.12';

/** asyncio-like primitives on simulated time. All waits are on the fake clock. */
export interface SimRuntime {
  /** The Python version modelled (default '3.11'); see `PythonVersion`. */
  readonly python?: PythonVersion;
  /** Simulated milliseconds since the run started. */
  now(): number;
  /** `asyncio.sleep(ms / 1000)`. */
  sleep(ms: number): Promise<void>;
  /** `asyncio.create_task(fn())`: starts on a later scheduler turn, never synchronously. */
  spawn(name: string, fn: () => Promise<unknown>): SimTask;
  /**
   * `asyncio.wait_for(coro, timeout)` of the `python` version: on 3.11 the awaited coroutine
   * is wrapped in a task, so it starts one scheduler turn later; on 3.12 it runs inline. On
   * timeout it is cancelled and `TimeoutError` (src/sim/errors.ts) is raised.
   */
  waitFor<T>(fn: () => Promise<T>, timeoutMs: number): Promise<T>;
  lock(): SimLock;
  event(): SimEvent;
  queue<T>(): SimQueue<T>;
}

export interface SimTask {
  readonly name: string;
  done(): boolean;
  cancel(): void;
  readonly finished: Promise<void>;
}
export interface SimLock {
  /** `async with lock:` */
  run<T>(fn: () => Promise<T>): Promise<T>;
  locked(): boolean;
}
export interface SimEvent {
  set(): void;
  isSet(): boolean;
  wait(): Promise<void>;
}
export interface SimQueue<T> {
  put(item: T): Promise<void>;
  get(): Promise<T>;
  size(): number;
}

/** Services the endpoint depends on: authentication and per-connection preparation. */
export interface SimServices {
  /** Resolves after the auth service delay; false when the fault model fails the auth. */
  authenticate(conn: ServerConnection): Promise<boolean>;
  /** Resolves after the service-preparation delay. */
  prepare(conn: ServerConnection): Promise<void>;
}

/** What an async design may report; the harness writes it to the trace. */
export interface DesignProbe {
  /**
   * A phase transition the design's own state machine attempted. `machine` names the
   * machine (a design may run several), `applied` says whether the design accepted it.
   */
  phase(connId: string, machine: string, from: string, to: string, applied: boolean): void;
  /** Current size of a design's event buffer (P9). */
  buffer(connId: string, size: number, capacity: number): void;
  /** A log line the design would have written (kept in the trace, never printed). */
  log(connId: string, level: 'debug' | 'info' | 'warning' | 'error', message: string): void;
  /**
   * The design ran its code path `path`, one of the names its `paths` declares: counted per
   * run (`RunResult.reached`, not written to the trace) and reported per exploration, so a
   * path no run reached is reported as unexercised. An undeclared name is a design error.
   */
  reach(path: string): void;
}

/**
 * Code paths a design wants reported as exercised or unexercised: name -> where the path
 * comes from (for a seed port, the seed file, section and sentence). See docs/sim.md.
 */
export type DesignPaths = Readonly<Record<string, string>>;

/** Deployment environment, for designs whose behaviour depends on it (seed 001). */
export type Environment = 'development' | 'testing' | 'staging' | 'production';

export interface DesignEnv {
  readonly runtime: SimRuntime;
  readonly services: SimServices;
  readonly probe: DesignProbe;
  readonly environment: Environment;
  readonly config: LifecycleConfig;
  /** The Python version `runtime` models (default '3.11'); set by `withPython` (src/sim/python.ts). */
  readonly python?: PythonVersion;
}

/** The server an async design builds: one endpoint task per connection plus entry points. */
export interface DesignServer {
  /** The websocket endpoint (`async def websocket_endpoint(websocket)`), one per connection. */
  handle(conn: ServerConnection): Promise<void>;
  /**
   * An agent emits an event for a connection. Resolve `false` (or throw) when the event
   * was not taken; resolving `true`/undefined claims it will be delivered.
   */
  emit(connId: string, event: AgentEvent): Promise<boolean | void>;
  /** A cleanup task closes a connection (e.g. after the agent finished, or on idle). */
  close(connId: string, code: number, reason: string): Promise<void>;
  /** Broadcast to every connection (seed 004); designs without one leave it out. */
  broadcast?(event: AgentEvent): Promise<void>;
}

/** A design written as async handlers, driven through the simulated socket and clock. */
export interface HandlerDesign {
  readonly kind: 'handler';
  readonly name: string;
  /** Maps the design's own phase names to reference phases so P4 can judge its transitions. */
  readonly phaseAliases?: Readonly<Record<string, Phase>>;
  /** How the checkers read this design's data frames (P7, P8, P12, P14); default `defaultFrameCodec`. */
  readonly decodeFrame?: FrameCodec;
  /** Code paths the report counts, each marked in the code with `env.probe.reach(name)`. */
  readonly paths?: DesignPaths;
  create(env: DesignEnv): DesignServer;
}

/** The workload hooks a Python design may define (SPEC section 9's emit, close, broadcast). */
export type PythonHook = 'emit' | 'close' | 'broadcast';

/**
 * A design written in Python: a `.py` file defining an ASGI `app` and its WebSocket `path`,
 * run unchanged by the Python runner (adapters/python/runner) on a virtual-time asyncio loop,
 * one long-lived runner process per exploration worker (src/python). The simulation of
 * src/sim does not run it; its runs come back as traces in the same format.
 */
export interface PythonDesign {
  readonly kind: 'python';
  readonly name: string;
  /** Absolute path of the design's `.py` file. */
  readonly file: string;
  /** The workload hooks the file defines; commands of a hook it lacks are not sent. */
  readonly hooks: readonly PythonHook[];
  /** The WebSocket route (`{conn}` and `{user}` replaced per connection). */
  readonly path: string;
  readonly decodeFrame?: undefined;
}

/** A design the simulation of src/sim runs itself. */
export type SimDesign = ReducerDesign<unknown> | HandlerDesign;

export type Design = SimDesign | PythonDesign;
