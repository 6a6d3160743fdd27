/**
 * Drives a `HandlerDesign` (async handlers written like the Python seeds): one `handle`
 * task per connection, one task per workload call, probe reports to the trace.
 */
import type { LifecycleConfig, Phase } from '../core/types.ts';
import type { SimContext } from './context.ts';
import type { Driver } from './driver.ts';
import { errorMessageOf, errorNameOf, isModelledError } from './errors.ts';
import type { RuntimeTask } from './runtime.ts';
import { phases } from '../core/transitions.ts';
import type { SimConnection, SimServer } from './server.ts';
import type { DesignProbe, DesignServer, Environment, HandlerDesign, SimServices } from './types.ts';

const referencePhases: readonly string[] = phases;

/**
 * Runs a handler design against the simulated server.
 *
 * @example
 * const driver = new HandlerDriver(context, server, design, services, 'production', config);
 * driver.start(); // design.create(env)
 */
export class HandlerDriver implements Driver {
  private readonly context: SimContext;
  private readonly server: SimServer;
  private readonly design: HandlerDesign;
  private readonly services: SimServices;
  private readonly environment: Environment;
  private readonly config: LifecycleConfig;
  private designServer: DesignServer | null = null;
  private readonly handles = new Map<string, RuntimeTask<void>>();
  private readonly emits: {
    readonly eventId: string;
    readonly conn: string;
    readonly task: RuntimeTask<void>;
  }[] = [];
  private readonly lastPhase = new Map<string, string>();
  // Times each code path was reached (DesignProbe.reach): the declared ones from 0, in
  // declaration order, then any undeclared name in the order it was first reached.
  private readonly hits = new Map<string, number>();

  constructor(
    context: SimContext,
    server: SimServer,
    design: HandlerDesign,
    services: SimServices,
    environment: Environment,
    config: LifecycleConfig,
  ) {
    this.context = context;
    this.server = server;
    this.design = design;
    this.services = services;
    this.environment = environment;
    this.config = config;
    for (const path of Object.keys(design.paths ?? {})) this.hits.set(path, 0);
  }

  start(): void {
    try {
      this.designServer = this.design.create({
        runtime: this.context.runtime,
        services: this.services,
        probe: this.probe(),
        environment: this.environment,
        config: this.config,
      });
    } catch (error) {
      this.designError(null, 'create', error);
      this.context.clock.abort(`design ${this.design.name}: create() threw: ${errorMessageOf(error)}`);
    }
  }

  open(connection: SimConnection): void {
    const server = this.designServer;
    if (server === null) return;
    const task = this.context.runtime.spawnTask(
      `handle:${connection.id}`,
      () => server.handle(connection),
      connection.id,
      true,
    );
    this.handles.set(connection.id, task);
  }

  emit(conn: string, eventType: string): void {
    const server = this.designServer;
    if (server === null) return;
    const event = this.server.event(conn, eventType);
    const { trace, runtime } = this.context;
    const critical = this.server.isCritical(eventType);
    const task = runtime.spawnTask(
      `emit:${event.id}`,
      async () => {
        trace.write({
          conn,
          actor: 'workload',
          action: 'emit',
          detail: { eventId: event.id, type: eventType, critical },
        });
        try {
          const result = await server.emit(conn, event);
          trace.write({
            conn,
            actor: 'workload',
            action: 'emitReturned',
            detail: { eventId: event.id, result: result === false ? 'false' : 'true' },
          });
        } catch (error) {
          trace.write({
            conn,
            actor: 'workload',
            action: 'emitReturned',
            detail: { eventId: event.id, result: 'threw', error: errorMessageOf(error) },
          });
          // The contract lets emit refuse by raising a modelled exception; a TypeError is a bug.
          if (!isModelledError(error)) this.designError(conn, 'emit', error);
        }
      },
      conn,
      true,
    );
    this.emits.push({ eventId: event.id, conn, task });
  }

  appClose(conn: string, code: number, reason: string): void {
    const server = this.designServer;
    if (server === null) return;
    this.context.trace.write({ conn, actor: 'workload', action: 'appClose', detail: { code, reason } });
    const { trace, runtime } = this.context;
    runtime.spawnTask(
      `close:${conn}`,
      () => {
        // The design learns of the request only now, 0-2 scheduler turns later (P12 dates it here).
        trace.write({ conn, actor: 'workload', action: 'closeCalled', detail: { code, reason } });
        return server.close(conn, code, reason);
      },
      conn,
      true,
    );
  }

  broadcast(eventType: string): void {
    const server = this.designServer;
    if (server === null) return;
    const event = this.server.event(null, eventType);
    const critical = this.server.isCritical(eventType);
    this.context.trace.write({
      conn: null,
      actor: 'workload',
      action: 'broadcast',
      detail: { eventId: event.id, type: eventType, critical },
    });
    const broadcast = server.broadcast;
    if (broadcast === undefined) {
      this.log(null, 'info', `design ${this.design.name} has no broadcast; event ${event.id} not sent`);
      return;
    }
    this.context.runtime.spawnTask(`broadcast:${event.id}`, () => broadcast.call(server, event), null, true);
  }

  phases(): Record<string, string> {
    const phases: Record<string, string> = {};
    for (const [id, connection] of this.server.connections) phases[id] = this.phaseOf(connection);
    return phases;
  }

  pending(): string[] {
    return this.emits
      .filter((emit) => !emit.task.done())
      .map((emit) => `emit ${emit.eventId} to ${emit.conn} never returned`);
  }

  // The design's own last phase when it maps to a reference phase; else the socket's view.
  private phaseOf(connection: SimConnection): string {
    const reported = this.lastPhase.get(connection.id);
    if (reported !== undefined) {
      const mapped: Phase | undefined = this.design.phaseAliases?.[reported];
      if (mapped !== undefined) return mapped;
      if (referencePhases.includes(reported)) return reported;
    }
    const { socket } = connection;
    const handle = this.handles.get(connection.id);
    if (socket.clientState === 'DISCONNECTED' || socket.applicationState === 'DISCONNECTED') return 'closed';
    if (handle !== undefined && handle.done()) return 'closed';
    if (socket.clientState === 'CONNECTED' && socket.applicationState === 'CONNECTED' && connection.authOk)
      return 'ready';
    return `${socket.clientState}/${socket.applicationState}`;
  }

  reached(): Record<string, number> | null {
    if (this.design.paths === undefined && this.hits.size === 0) return null;
    return Object.fromEntries(this.hits);
  }

  private probe(): DesignProbe {
    const { trace } = this.context;
    return {
      phase: (connId, machine, from, to, applied) => {
        if (applied) this.lastPhase.set(connId, to);
        trace.write({
          conn: connId,
          actor: 'design',
          action: 'phase',
          phase: applied ? to : from,
          detail: { machine, from, to, applied },
        });
      },
      buffer: (connId, size, capacity) => {
        trace.write({ conn: connId, actor: 'design', action: 'buffer', detail: { size, capacity } });
      },
      log: (connId, level, message) => this.log(connId, level, message),
      reach: (path) => this.reach(path),
    };
  }

  // Counts a hit; a name the design does not declare (a typo) is a design error, once per run.
  private reach(path: string): void {
    const hits = this.hits.get(path);
    if (hits === undefined && !Object.hasOwn(this.design.paths ?? {}, path)) {
      const declared = Object.keys(this.design.paths ?? {});
      const known = declared.length === 0 ? 'it declares none' : `it declares ${declared.join(', ')}`;
      this.designError(null, 'reach', new Error(`path "${path}" is not in the design's paths (${known})`));
    }
    this.hits.set(path, (hits ?? 0) + 1);
  }

  private designError(conn: string | null, where: string, error: unknown): void {
    this.context.trace.write({
      conn,
      actor: 'design',
      action: 'error',
      detail: { where, error: `${errorNameOf(error)}: ${errorMessageOf(error)}` },
    });
  }

  private log(conn: string | null, level: 'debug' | 'info' | 'warning' | 'error', message: string): void {
    this.context.trace.write({ conn, actor: 'design', action: 'log', detail: { level, message } });
  }
}
