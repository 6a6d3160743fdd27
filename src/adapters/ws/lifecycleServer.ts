/**
 * `createLifecycleServer`: a WebSocket server on the `ws` package whose every connection is
 * driven by the reference core, with emit/broadcast returning each event's outcome, an
 * optional trace of every connection, and a clean shutdown (close 1001 everywhere).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { initial } from '../../core/state.ts';
import type { AgentEvent, JsonValue, LifecycleConfig, Outcome } from '../../core/types.ts';
import { serverLimitsOf, type ServerLimits } from './limits.ts';
import { lifecycleConfigOf, type LifecycleServerOptions } from './options.ts';
import { fileSink, TraceWriter } from './traceWriter.ts';
import { WsConnection, type ConnectionHooks } from './wsConnection.ts';

/** An event to emit: the adapter names it (`id`) when the caller does not. */
export interface EmitEvent {
  readonly id?: string;
  readonly type: string;
  /** An object: the adapter adds `eventId` to it, which is how clients and checkers recognise the event. */
  readonly payload?: { readonly [k: string]: JsonValue };
}

/** The outcome of one event on one connection. */
export interface EventOutcome {
  readonly connId: string;
  readonly eventId: string;
  readonly outcome: Outcome;
}

/** What the load bench and operators read. */
export interface ServerStats {
  readonly open: number;
  readonly accepted: number;
  /** Largest `ws.bufferedAmount` any connection reached after a write. */
  readonly peakBufferedBytes: number;
  /** Upgrade requests refused because `maxConnections` connections were open. */
  readonly refused: number;
  /** Sockets destroyed because they had not completed an upgrade within `upgradeTimeoutMs`. */
  readonly upgradeTimeouts: number;
}

/** Close code and reason sent to every connection on shutdown (RFC 6455 "going away"). */
const goingAway = { code: 1001, reason: 'server going away' } as const;

/** After terminating at the close deadline, how long `close()` waits for the sockets' close. */
const terminateGraceMs = 200;

/** Whether `promise` settled within `ms` (a real timer, cleared either way). */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A running lifecycle server. Not pure: owns sockets, timers and (optionally) a trace file.
 *
 * @example
 * const server = await createLifecycleServer({ port: 8080, authenticate: async () => ({ ok: true, userId: 'u1' }) });
 * const [first] = server.connections();
 * if (first) console.log(await server.emit(first, { type: 'agent_started' }));
 * await server.close();
 */
export class LifecycleServer {
  private readonly live = new Map<string, WsConnection>();
  private readonly finalPhases: Record<string, string> = {};
  private readonly leftTimers: { conn: string; names: readonly string[] }[] = [];
  private accepted = 0;
  private nextEvent = 1;
  private peakBufferedBytes = 0;
  private refused = 0;
  private upgradeTimeouts = 0;
  private closing: Promise<void> | null = null;
  /** Sockets of the owned HTTP server not yet upgraded, each with its upgrade deadline. */
  private readonly pendingSockets = new Map<Socket, NodeJS.Timeout>();
  private readonly wss: WebSocketServer;
  private readonly hooks: ConnectionHooks;
  private readonly trace: TraceWriter | null;
  private readonly onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void =>
    this.upgrade(request, socket, head);
  private readonly onSocket = (socket: Socket): void => this.track(socket);

  /** Use `createLifecycleServer`; this constructor does not listen. */
  constructor(
    readonly http: Server,
    private readonly ownsHttp: boolean,
    readonly config: LifecycleConfig,
    private readonly options: LifecycleServerOptions,
    readonly limits: ServerLimits = serverLimitsOf(options),
  ) {
    this.wss = new WebSocketServer({ noServer: true, clientTracking: false, maxPayload: limits.maxPayload });
    this.hooks = {
      authenticate: options.authenticate ?? (async () => ({ ok: true, userId: 'anonymous' })),
      prepare: options.prepare ?? (async () => undefined),
      onMessage: options.onMessage ?? (() => undefined),
      traceFrames: options.traceFrames ?? 'ids',
    };
    const sink = options.trace;
    this.trace =
      sink === undefined ? null : new TraceWriter(typeof sink === 'string' ? fileSink(sink) : sink, config);
    http.on('upgrade', this.onUpgrade);
    if (ownsHttp) {
      // Every socket counts, upgraded or not: net.Server destroys the ones past the limit.
      http.maxConnections = limits.maxConnections;
      http.on('connection', this.onSocket);
    }
  }

  /** The address the server listens on (host and port). */
  address(): AddressInfo {
    return this.http.address() as AddressInfo;
  }

  /** Ids of the connections not yet closed, in arrival order. */
  connections(): string[] {
    return [...this.live.keys()];
  }

  /** Counters for monitoring and the load bench. */
  stats(): ServerStats {
    let peak = this.peakBufferedBytes;
    for (const conn of this.live.values()) peak = Math.max(peak, conn.peakBufferedBytes);
    return {
      open: this.live.size,
      accepted: this.accepted,
      peakBufferedBytes: peak,
      refused: this.refused,
      upgradeTimeouts: this.upgradeTimeouts,
    };
  }

  /**
   * Emits one event to one connection; resolves with its one final outcome (delivered with
   * its seq once the frame is written, dropped, refused, or undeliverable).
   */
  emit(connId: string, event: EmitEvent): Promise<Outcome> {
    const agentEvent = this.agentEvent(event, event.id ?? `e${this.nextEvent++}`);
    const conn = this.live.get(connId);
    if (conn === undefined) {
      // No such connection (never opened, or closed): still exactly one outcome.
      const outcome: Outcome = { kind: 'refused', reason: 'closed' };
      const critical = this.config.criticalTypes.includes(event.type);
      const detail = { eventId: agentEvent.id, type: event.type, critical };
      this.trace?.write({ conn: connId, actor: 'workload', action: 'emit', detail });
      const result = { eventId: agentEvent.id, outcome };
      this.trace?.write({ conn: connId, actor: 'design', action: 'outcome', detail: result });
      return Promise.resolve(outcome);
    }
    return conn.emit(agentEvent, this.config.criticalTypes.includes(event.type));
  }

  /** Emits the event to every open connection, each copy with its own id (`<id>.<connId>`). */
  async broadcast(event: EmitEvent): Promise<EventOutcome[]> {
    const id = event.id ?? `e${this.nextEvent++}`;
    const critical = this.config.criticalTypes.includes(event.type);
    this.trace?.write({
      conn: null,
      actor: 'workload',
      action: 'broadcast',
      detail: { eventId: id, type: event.type, critical },
    });
    const targets = [...this.live.values()].filter((c) => c.phase !== 'closing' && c.phase !== 'closed');
    return Promise.all(
      targets.map(async (conn) => {
        const eventId = `${id}.${conn.id}`;
        const outcome = await conn.emit(this.agentEvent(event, eventId), critical);
        return { connId: conn.id, eventId, outcome };
      }),
    );
  }

  /** Closes one connection with a code and reason of the application's choice. */
  closeConnection(connId: string, code: number, reason: string): void {
    this.live.get(connId)?.appClose(code, reason);
  }

  /**
   * Stops taking connections, destroys the sockets that have not upgraded (idle, or still
   * sending their request), closes every open connection with 1001 and waits until each core
   * is closed, at most `closeTimeoutMs`; then terminates the connections whose client never
   * answered the close (a paused reader, a deaf client), and ends the trace
   * with the run's verdict entries (`harness/settled`, and `harness/timersPending` for any
   * timer left). Resolves within `closeTimeoutMs` plus a few ms whatever the clients do;
   * a second call returns the same promise.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.http.off('upgrade', this.onUpgrade);
    const httpClosed = this.ownsHttp
      ? new Promise<void>((resolve) => this.http.close(() => resolve()))
      : Promise.resolve();
    // No upgrade is taken from now on: a socket not yet upgraded has nothing left to wait for.
    for (const socket of this.pendingSockets.keys()) socket.destroy();
    const open = [...this.live.values()];
    for (const conn of open) {
      if (conn.phase !== 'closing' && conn.phase !== 'closed')
        conn.appClose(goingAway.code, goingAway.reason);
    }
    const everything = Promise.all([httpClosed, ...open.map((c) => c.closed)]);
    if (!(await within(everything, this.limits.closeTimeoutMs))) {
      for (const conn of this.live.values()) conn.terminate();
      for (const socket of this.pendingSockets.keys()) socket.destroy();
      // Destroyed sockets report their close within a turn or two of the event loop.
      await within(everything, terminateGraceMs);
    }
    for (const timer of this.pendingSockets.values()) clearTimeout(timer);
    this.pendingSockets.clear();
    if (this.live.size === 0) {
      this.trace?.write({
        conn: null,
        actor: 'harness',
        action: 'settled',
        detail: { phases: this.finalPhases },
      });
    } else {
      const reason = `connections not closed after terminate: ${[...this.live.keys()].join(', ')}`;
      this.trace?.write({ conn: null, actor: 'harness', action: 'unsettled', detail: { reason } });
    }
    for (const { conn, names } of this.leftTimers) {
      this.trace?.write({
        conn,
        actor: 'harness',
        action: 'timersPending',
        detail: { count: names.length, names: [...names] },
      });
    }
    await this.trace?.end();
  }

  // A socket of the owned HTTP server: destroyed unless it completes an upgrade in time
  // (an idle connection, a request sent byte by byte, a plain HTTP keep-alive).
  private track(socket: Socket): void {
    const timer = setTimeout(() => {
      this.pendingSockets.delete(socket);
      this.upgradeTimeouts += 1;
      socket.destroy();
    }, this.limits.upgradeTimeoutMs);
    timer.unref();
    this.pendingSockets.set(socket, timer);
    socket.once('close', () => this.untrack(socket));
  }

  private untrack(socket: Duplex): void {
    const timer = this.pendingSockets.get(socket as Socket);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.pendingSockets.delete(socket as Socket);
  }

  private agentEvent(event: EmitEvent, id: string): AgentEvent {
    return { id, type: event.type, payload: { ...event.payload, eventId: id } };
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.untrack(socket);
    const path = this.options.path;
    if (this.closing !== null || (path !== undefined && requestPath(request.url) !== path)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (this.live.size >= this.limits.maxConnections) {
      this.refused += 1;
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.accepted += 1;
    const id = `c${this.accepted}`;
    const conn = new WsConnection(id, this.wss, request, socket, head, this.config, this.hooks, this.trace);
    this.live.set(id, conn);
    void conn.closed.then(() => {
      this.live.delete(id);
      this.finalPhases[id] = conn.phase;
      this.peakBufferedBytes = Math.max(this.peakBufferedBytes, conn.peakBufferedBytes);
      // The timers are read a turn later: the core cancels them in the step that closes.
      const names = conn.pendingTimers;
      if (names.length > 0) this.leftTimers.push({ conn: id, names });
      this.options.onDisconnect?.(id);
    });
    this.options.onConnection?.({ connId: id, request });
    conn.start();
  }
}

/**
 * Creates and starts a lifecycle server: validates the options (a bad value throws the
 * core's `ConfigError`), then listens on `host:port` (default 127.0.0.1, any free port)
 * unless attached to `options.server`.
 *
 * @example
 * const server = await createLifecycleServer({ capacity: 16, trace: 'run.jsonl' });
 * console.log(server.address().port);
 */
export async function createLifecycleServer(options: LifecycleServerOptions = {}): Promise<LifecycleServer> {
  const config = lifecycleConfigOf(options);
  initial(config); // throws ConfigError before any socket is opened
  const limits = serverLimitsOf(options);
  if (options.server !== undefined)
    return new LifecycleServer(options.server, false, config, options, limits);
  const http = createServer((_request, response) => {
    response.writeHead(426, { 'Content-Type': 'text/plain' }).end('WebSocket endpoint: upgrade required\n');
  });
  const server = new LifecycleServer(http, true, config, options, limits);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  return server;
}

/**
 * The path of an upgrade request as the `path` option states it: percent-decoded, so a path
 * with a space or a non-ASCII character (`/chat room`, `/café`) matches. Pure; null when the
 * encoding is malformed (no configured path matches it).
 *
 * @example
 * requestPath('/caf%C3%A9?user=u1'); // '/café'
 */
export function requestPath(url: string | undefined): string | null {
  // An HTTP request target, not a file: URL, so fileURLToPath does not apply; the
  // WHATWG URL parser normalises it and decodeURIComponent undoes the percent-encoding.
  try {
    return decodeURIComponent(new URL(url ?? '/', 'http://localhost').pathname);
  } catch {
    return null;
  }
}
