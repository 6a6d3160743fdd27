/**
 * The typed options of `createLifecycleServer` and how they map to the core's
 * `LifecycleConfig`.
 */
import type { IncomingMessage, Server } from 'node:http';
import { defaultConfig } from '../../core/state.ts';
import type { LifecycleConfig } from '../../core/types.ts';
import type { TraceFrames } from './traceFrame.ts';
import type { TraceSink } from './traceWriter.ts';

/** What `authenticate` decides: the user the connection belongs to, or why it is refused. */
export type AuthResult =
  { readonly ok: true; readonly userId: string } | { readonly ok: false; readonly reason: string };

/** The connection an `authenticate` or `prepare` hook is asked about. */
export interface ConnectionInfo {
  readonly connId: string;
  /** The HTTP upgrade request (headers, URL with its query string). */
  readonly request: IncomingMessage;
}

/** Options of a lifecycle server; every field is optional. */
export interface LifecycleServerOptions {
  /** Listen address when no `server` is given. Default `127.0.0.1`. */
  readonly host?: string;
  /** Listen port when no `server` is given. Default 0 (any free port; read `address()`). */
  readonly port?: number;
  /** An HTTP server to attach to (its `upgrade` event); it is not closed by `close()`. */
  readonly server?: Server;
  /** Only upgrade requests for this path are taken (default: every path). */
  readonly path?: string;
  /** Events buffered per connection before `ready` and under backpressure. Default 8. */
  readonly capacity?: number;
  /** Event types never dropped. Default: the four critical types of the core. */
  readonly criticalTypes?: readonly string[];
  /** Data sends written and not yet flushed to the kernel, per connection. Default 4. */
  readonly maxInFlight?: number;
  /** Deadlines in ms; 0 disables one. Defaults: the core's (5000, 3000, 3000, 1000). */
  readonly deadlines?: {
    readonly handshakeMs?: number;
    readonly authMs?: number;
    readonly prepareMs?: number;
    readonly closeHandshakeMs?: number;
  };
  /** Ping frames `{kind:'ping', nonce}` every `intervalMs`; the client answers text `pong:<nonce>`. */
  readonly heartbeat?: { readonly intervalMs: number; readonly missedPongLimit?: number } | null;
  /** Send events in batches of `size`, flushed after `flushMs`. Default: one frame per event. */
  readonly batching?: { readonly size: number; readonly flushMs: number } | null;
  /** Decides who the connection belongs to, after accept. Default: everyone is `anonymous`. A throw is a failure. */
  readonly authenticate?: (info: ConnectionInfo) => Promise<AuthResult>;
  /** Prepares per-connection services after auth; events wait in the buffer until it resolves. */
  readonly prepare?: (info: ConnectionInfo & { readonly userId: string }) => Promise<void>;
  /** A connection arrived (its upgrade request); emits to it are buffered until it is ready. */
  readonly onConnection?: (info: ConnectionInfo) => void;
  /** A connection's core reached `closed`; emits to it are now refused. */
  readonly onDisconnect?: (connId: string) => void;
  /**
   * A message the client sends (other than heartbeat answers): a text message as a string,
   * a binary one as a Buffer (`typeof data === 'string'` tells them apart).
   */
  readonly onMessage?: (connId: string, data: string | Buffer) => void;
  /** Largest client message in bytes; a longer one closes the connection with 1009. Default 65536. */
  readonly maxPayload?: number;
  /** Sockets held at once, upgraded or not; more are refused. Default 10,000. */
  readonly maxConnections?: number;
  /** A TCP connection that has not completed its upgrade request by then is destroyed. Default 10,000 ms. */
  readonly upgradeTimeoutMs?: number;
  /** How long `close()` waits for close handshakes before terminating what remains. Default 5,000 ms. */
  readonly closeTimeoutMs?: number;
  /** Record every connection's trace: a file path (JSON lines) or a sink. */
  readonly trace?: string | TraceSink;
  /** What the trace keeps of each data frame: `ids` (default: seq, event ids and types) or `full`. */
  readonly traceFrames?: TraceFrames;
}

/**
 * The core configuration the options describe. Pure; `initial()` validates it (a bad value
 * throws `ConfigError` when the server is created).
 *
 * @example lifecycleConfigOf({ capacity: 16 }).capacity // 16
 */
export function lifecycleConfigOf(options: LifecycleServerOptions): LifecycleConfig {
  const d = options.deadlines ?? {};
  return {
    capacity: options.capacity ?? defaultConfig.capacity,
    criticalTypes: options.criticalTypes ?? defaultConfig.criticalTypes,
    maxInFlight: options.maxInFlight ?? defaultConfig.maxInFlight,
    handshakeTimeoutMs: d.handshakeMs ?? defaultConfig.handshakeTimeoutMs,
    authTimeoutMs: d.authMs ?? defaultConfig.authTimeoutMs,
    prepareTimeoutMs: d.prepareMs ?? defaultConfig.prepareTimeoutMs,
    closeHandshakeTimeoutMs: d.closeHandshakeMs ?? defaultConfig.closeHandshakeTimeoutMs,
    heartbeatIntervalMs: options.heartbeat?.intervalMs ?? 0,
    missedPongLimit: options.heartbeat?.missedPongLimit ?? defaultConfig.missedPongLimit,
    batching: options.batching ?? null,
  };
}
