/**
 * Which connection caused a run to abort. A design's tasks carry no connection (a task it
 * spawns, a `wait_for` it starts), so the harness cannot tell from the clock whose work
 * kept one simulated ms busy. `CulpritTracker` wraps a handler design so every call it makes
 * into the runtime is counted for the connection whose entry point (`handle`, `emit`,
 * `close`) started the chain of awaits, followed through spawned tasks with Node's
 * AsyncLocalStorage. It only wraps: it adds no await and reads no choice, so a tracked run's
 * trace is identical to the untracked one. The tracking costs time, so `runScenario` only
 * re-runs an aborted run with it, and disposes of it right after.
 */
import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { runtimeOn } from './python.ts';
import type { DesignEnv, DesignServer, HandlerDesign, PythonVersion, SimRuntime } from './types.ts';

/**
 * Counts runtime calls per connection at the current simulated ms; the culprit of an abort is
 * the connection with the most calls at the ms the run stopped.
 *
 * @example
 * const tracker = new CulpritTracker();
 * const run = await runOnce(tracker.wrap(design), scenario);
 * tracker.culprit(); // 'c2'
 */
export class CulpritTracker {
  private readonly store = new AsyncLocalStorage<string>();
  private counts = new Map<string, number>();
  private atMs = -1;

  /**
   * Stops tracking. Required once the tracked run is over: while any AsyncLocalStorage is
   * enabled, Node keeps its promise hooks on for the whole process, which slows every later
   * run several times over.
   */
  dispose(): void {
    this.store.disable();
  }

  /** The connection with the most runtime calls at the last busy ms, or null when none. */
  culprit(): string | null {
    let best: string | null = null;
    let most = 0;
    for (const [conn, n] of this.counts) {
      if (n > most) {
        best = conn;
        most = n;
      }
    }
    return best;
  }

  private count(now: number): void {
    const conn = this.store.getStore();
    if (conn === undefined) return;
    if (now !== this.atMs) {
      this.atMs = now;
      this.counts = new Map();
    }
    this.counts.set(conn, (this.counts.get(conn) ?? 0) + 1);
  }

  /** `design`, with every runtime call counted for the connection it works for. */
  wrap(design: HandlerDesign): HandlerDesign {
    const inConn =
      <A extends unknown[], R>(conn: string, fn: (...args: A) => R) =>
      (...args: A): R =>
        this.store.run(conn, () => fn(...args));
    return {
      ...design,
      create: (env: DesignEnv): DesignServer => {
        const server = design.create({ ...env, runtime: this.runtime(env.runtime) });
        const wrapped: DesignServer = {
          handle: (conn) => inConn(conn.id, server.handle.bind(server))(conn),
          emit: (connId, event) => inConn(connId, server.emit.bind(server))(connId, event),
          close: (connId, code, reason) => inConn(connId, server.close.bind(server))(connId, code, reason),
        };
        const { broadcast } = server;
        return broadcast === undefined ? wrapped : { ...wrapped, broadcast: broadcast.bind(server) };
      },
    };
  }

  // The tracked view keeps the inner runtime's Python version and can switch it, so a
  // design wrapped by `withPython` (src/sim/python.ts) runs tracked as it runs untracked.
  private runtime(inner: SimRuntime): SimRuntime & { withPython(python: PythonVersion): SimRuntime } {
    const tick = (): void => this.count(inner.now());
    return {
      ...(inner.python === undefined ? {} : { python: inner.python }),
      withPython: (python) => this.runtime(runtimeOn(inner, python)),
      now: () => inner.now(),
      sleep: (ms) => (tick(), inner.sleep(ms)),
      // A spawned task runs later, from a timer: bind it to the spawner's connection.
      spawn: (name, fn) => (tick(), inner.spawn(name, AsyncResource.bind(fn))),
      waitFor: (fn, ms) => (tick(), inner.waitFor(AsyncResource.bind(fn), ms)),
      lock: () => {
        const lock = inner.lock();
        return { locked: () => lock.locked(), run: (fn) => (tick(), lock.run(fn)) };
      },
      event: () => {
        const event = inner.event();
        return {
          isSet: () => event.isSet(),
          set: () => (tick(), event.set()),
          wait: () => (tick(), event.wait()),
        };
      },
      queue: <T>() => {
        const queue = inner.queue<T>();
        return {
          size: () => queue.size(),
          put: (item: T) => (tick(), queue.put(item)),
          get: () => (tick(), queue.get()),
        };
      },
    };
  }
}
