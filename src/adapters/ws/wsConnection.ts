/**
 * One real connection driven by the core's `step` (the driver contract of docs/core.md):
 * socket events become inputs, real timers become `timerFired`, effects run on the `ws`
 * socket in the order given.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, type RawData, type WebSocketServer } from 'ws';
import { assertNever } from '../../core/assertNever.ts';
import { bufferedCount, initial } from '../../core/state.ts';
import type { State } from '../../core/state.ts';
import { step } from '../../core/step.ts';
import type {
  AgentEvent,
  Effect,
  Frame,
  Input,
  LifecycleConfig,
  Outcome,
  TimerName,
} from '../../core/types.ts';
import type { AuthResult, ConnectionInfo } from './options.ts';
import { traceFrameOf, type TraceFrames } from './traceFrame.ts';
import type { EntryDraft, SocketStateName, TraceWriter } from './traceWriter.ts';

/** The server-side hooks a connection calls. */
export interface ConnectionHooks {
  readonly authenticate: (info: ConnectionInfo) => Promise<AuthResult>;
  readonly prepare: (info: ConnectionInfo & { readonly userId: string }) => Promise<void>;
  readonly onMessage: (connId: string, data: string | Buffer) => void;
  readonly traceFrames: TraceFrames;
}

/** A close before accept is an HTTP denial, as Starlette answers a close in CONNECTING. */
const denial = 'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The close code `ws` sent on a protocol error of the client (1009 for a message over
 * `maxPayload`, 1007 for invalid UTF-8, 1002 for a malformed frame), or null for any other
 * error. `ws` keeps it under a private symbol; its error codes are public and name the case.
 */
export function protocolCloseCode(error: Error): number | null {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('WS_ERR_')) return null;
  const symbol = Object.getOwnPropertySymbols(error).find((s) => s.description === 'status-code');
  const status = symbol === undefined ? undefined : (error as unknown as Record<symbol, unknown>)[symbol];
  if (typeof status === 'number') return status;
  return code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 1009 : 1002;
}

/**
 * A connection's core state plus the machinery executing its effects. Inputs are queued and
 * stepped one at a time (an input raised while effects run waits its turn), so effects of
 * one step always run before the next step. Not pure: drives a real socket and timers.
 *
 * @example
 * const conn = new WsConnection('c1', wss, request, socket, head, config, hooks, trace);
 * conn.start();
 */
export class WsConnection {
  private state: State;
  private readonly inputs: Input[] = [];
  private stepping = false;
  private ws: WebSocket | null = null;
  private readonly timers = new Map<TimerName, NodeJS.Timeout>();
  private readonly waiting = new Map<string, (outcome: Outcome) => void>();
  private client: SocketStateName = 'CONNECTING';
  private app: SocketStateName = 'CONNECTING';
  private finished = false;
  /** The handler's end (`handlerReturned` or `handlerRaised`) was recorded. */
  private handlerEnded = false;
  /** Data writes handed to ws whose callback has not come yet; the close's wire entry waits for them. */
  private writesPending = 0;
  private closeWire: Extract<EntryDraft, { readonly action: 'wire' }> | null = null;
  /** Largest `ws.bufferedAmount` seen after a write: what backpressure keeps bounded. */
  peakBufferedBytes = 0;
  /** Resolves once the core reached `closed`. */
  readonly closed: Promise<void>;
  private resolveClosed: () => void = () => undefined;

  constructor(
    readonly id: string,
    private readonly wss: WebSocketServer,
    private readonly request: IncomingMessage,
    private readonly socket: Duplex,
    private readonly head: Buffer,
    config: LifecycleConfig,
    private readonly hooks: ConnectionHooks,
    private readonly trace: TraceWriter | null,
  ) {
    this.state = initial(config);
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  /** The phase of the core. */
  get phase(): State['phase'] {
    return this.state.phase;
  }

  /** Timers still scheduled (the core cancels every timer on entering `closed`). */
  get pendingTimers(): readonly TimerName[] {
    return [...this.timers.keys()].sort();
  }

  /** The upgrade request arrived: `websocket.connect` reaches the core. */
  start(): void {
    const remote = `${this.request.socket.remoteAddress ?? '?'}:${this.request.socket.remotePort ?? '?'}`;
    this.record({ conn: this.id, actor: 'workload', action: 'open', detail: { remote } });
    this.record({ conn: this.id, actor: 'client', action: 'connect' });
    // The connection's handler (its driver of the core) runs from here until the core closes.
    this.record({ conn: this.id, actor: 'app', action: 'handlerStarted' });
    this.socket.once('close', () => {
      if (this.ws !== null) return; // after the upgrade, ws reports the close
      this.client = 'DISCONNECTED';
      this.record({ conn: this.id, actor: 'client', action: 'abrupt' });
      this.input({ type: 'transportError', error: 'socket closed before the upgrade completed' });
    });
    this.input({ type: 'connect' });
  }

  /** Emits an event; resolves with its one final outcome. */
  emit(event: AgentEvent, critical: boolean): Promise<Outcome> {
    const eventId = event.id;
    this.record({
      conn: this.id,
      actor: 'workload',
      action: 'emit',
      detail: { eventId, type: event.type, critical },
    });
    const outcome = new Promise<Outcome>((resolve) => this.waiting.set(eventId, resolve));
    this.input({ type: 'emit', event });
    return outcome;
  }

  /** The application closes the connection (e.g. 1001 at shutdown). */
  appClose(code: number, reason: string): void {
    this.record({ conn: this.id, actor: 'workload', action: 'appClose', detail: { code, reason } });
    this.input({ type: 'appClose', code, reason });
  }

  private record(draft: EntryDraft): void {
    this.trace?.write(draft);
  }

  private input(input: Input): void {
    this.inputs.push(input);
    if (this.stepping) return;
    this.stepping = true;
    try {
      for (let next = this.inputs.shift(); next !== undefined; next = this.inputs.shift())
        this.stepOnce(next);
    } finally {
      this.stepping = false;
    }
  }

  private stepOnce(input: Input): void {
    const from = this.state.phase;
    const buffered = bufferedCount(this.state);
    const { state, effects } = step(this.state, input);
    this.state = state;
    if (state.phase !== from) {
      const detail = { machine: 'core', from, to: state.phase, applied: true };
      this.record({ conn: this.id, actor: 'design', action: 'phase', phase: state.phase, detail });
    }
    const size = bufferedCount(state);
    if (size !== buffered) {
      const detail = { size, capacity: state.config.capacity };
      this.record({ conn: this.id, actor: 'design', action: 'buffer', detail });
    }
    for (const effect of effects) this.execute(effect);
    if (state.phase === 'closed' && !this.finished) this.finish();
  }

  private execute(effect: Effect): void {
    switch (effect.type) {
      case 'accept':
        return this.accept();
      case 'send':
        return this.send(effect.frame);
      case 'close':
        return this.close(effect.code, effect.reason);
      case 'startAuth':
        this.hooks.authenticate({ connId: this.id, request: this.request }).then(
          (result) => {
            const detail = result.ok
              ? { ok: true, userId: result.userId }
              : { ok: false, reason: result.reason };
            this.record({ conn: this.id, actor: 'design', action: 'auth', detail });
            this.input(
              result.ok
                ? { type: 'authSucceeded', userId: result.userId }
                : { type: 'authFailed', reason: result.reason },
            );
          },
          (error: unknown) => {
            this.record({
              conn: this.id,
              actor: 'design',
              action: 'auth',
              detail: { ok: false, reason: messageOf(error) },
            });
            this.input({ type: 'authFailed', reason: messageOf(error) });
          },
        );
        return;
      case 'prepareServices': {
        const userId = this.state.phase === 'preparing' ? this.state.userId : '';
        this.hooks.prepare({ connId: this.id, request: this.request, userId }).then(
          () => this.input({ type: 'servicesReady' }),
          () => this.input({ type: 'appClose', code: 1011, reason: 'services could not be prepared' }),
        );
        return;
      }
      case 'setTimer': {
        this.cancelTimer(effect.name);
        const handle = setTimeout(() => {
          this.timers.delete(effect.name);
          this.input({ type: 'timerFired', name: effect.name });
        }, effect.ms);
        this.timers.set(effect.name, handle);
        return;
      }
      case 'cancelTimer':
        return this.cancelTimer(effect.name);
      case 'outcome': {
        const detail = { eventId: effect.eventId, outcome: effect.outcome };
        this.record({ conn: this.id, actor: 'design', action: 'outcome', detail });
        const resolve = this.waiting.get(effect.eventId);
        this.waiting.delete(effect.eventId);
        resolve?.(effect.outcome);
        return;
      }
      case 'rejected': {
        const detail = { input: effect.input, phase: effect.phase, reason: effect.reason };
        this.record({ conn: this.id, actor: 'design', action: 'rejected', phase: effect.phase, detail });
        return;
      }
      default:
        return assertNever(effect);
    }
  }

  private cancelTimer(name: TimerName): void {
    const handle = this.timers.get(name);
    if (handle === undefined) return;
    clearTimeout(handle);
    this.timers.delete(name);
  }

  private states(): { client: SocketStateName; app: SocketStateName } {
    return { client: this.client, app: this.app };
  }

  private accept(): void {
    const before = this.states();
    // ws completes the upgrade synchronously when the socket is still usable; otherwise it
    // destroys the socket and the 'close' listener of start() reports the loss.
    this.wss.handleUpgrade(this.request, this.socket, this.head, (ws) => {
      this.ws = ws;
      this.client = 'CONNECTED';
      this.app = 'CONNECTED';
      this.record({
        conn: this.id,
        actor: 'app',
        action: 'accept',
        message: 'websocket.accept',
        before,
        after: this.states(),
      });
      this.record({ conn: this.id, actor: 'net', action: 'wire', message: 'websocket.accept' });
      ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(data, isBinary));
      ws.on('close', (code: number, reason: Buffer) => this.onClose(code, reason.toString('utf8')));
      ws.on('error', (error: Error) => this.onError(error));
      this.input({ type: 'acceptCompleted' });
    });
  }

  private send(sent: Frame): void {
    const frame = traceFrameOf(sent, this.hooks.traceFrames);
    const ws = this.ws;
    const before = this.states();
    const sendCall = {
      conn: this.id,
      actor: 'app',
      action: 'send',
      message: 'websocket.send',
      frame,
      before,
    } as const;
    if (ws === null || ws.readyState !== WebSocket.OPEN) {
      // The peer's close is under way (ws already answered it) and its 'close' event has not
      // come yet: the write fails like a write to a vanished client.
      const error = `WebSocket is not open: readyState ${ws?.readyState ?? 'none'}`;
      this.record({ ...sendCall, after: before, error, errorKind: 'WebSocketDisconnect' });
      this.record({ conn: this.id, actor: 'net', action: 'sendFailed', error });
      this.input({ type: 'sendFailed', error });
      return;
    }
    this.record({ ...sendCall, after: before });
    this.writesPending += 1;
    // The callback comes once the frame is written to the kernel: with a slow reader it waits,
    // the core keeps at most `maxInFlight` such sends, and later events wait in its buffer.
    ws.send(JSON.stringify(sent), (error) => {
      this.writesPending -= 1;
      // The core closed (a deadline, a lost transport) and settled this event already: a
      // write finishing after that is no news to it, and the trace may have ended.
      if (this.finished) return;
      if (error) {
        this.record({ conn: this.id, actor: 'net', action: 'sendFailed', error: error.message });
        this.input({ type: 'sendFailed', error: error.message });
      } else {
        this.record({ conn: this.id, actor: 'net', action: 'wire', message: 'websocket.send', frame });
        this.input({ type: 'sendCompleted' });
      }
      this.flushCloseWire();
    });
    this.peakBufferedBytes = Math.max(this.peakBufferedBytes, ws.bufferedAmount);
  }

  private close(code: number, reason: string): void {
    const before = this.states();
    this.app = 'DISCONNECTED';
    const frame = { code, reason };
    this.record({
      conn: this.id,
      actor: 'app',
      action: 'close',
      message: 'websocket.close',
      frame,
      before,
      after: this.states(),
    });
    const ws = this.ws;
    if (ws === null) {
      // Before accept: an HTTP 403, no close frame (Starlette's close in CONNECTING).
      if (this.socket.writable) this.socket.end(denial);
      this.input({ type: 'closeCompleted' });
      return;
    }
    ws.close(code, reason);
    // The close frame follows the data frames already written; its wire entry waits for their
    // callbacks so the trace keeps the order of the wire.
    this.closeWire = { conn: this.id, actor: 'net', action: 'wire', message: 'websocket.close', frame };
    this.flushCloseWire();
  }

  private flushCloseWire(): void {
    if (this.closeWire === null || this.writesPending > 0) return;
    this.record(this.closeWire);
    this.closeWire = null;
  }

  /**
   * Runs the application's `onMessage`. A throw escapes the connection's handler: it is
   * recorded (`app/handlerRaised`, its class in `detail.exception`) and the connection is
   * closed with 1011, as an ASGI server closes a connection whose app raised; it never reaches
   * the `ws` event loop.
   */
  private deliverMessage(data: string | Buffer): void {
    try {
      this.hooks.onMessage(this.id, data);
    } catch (error) {
      if (this.handlerEnded) return;
      this.handlerEnded = true;
      const name = error instanceof Error ? error.name : typeof error;
      this.record({
        conn: this.id,
        actor: 'app',
        action: 'handlerRaised',
        error: messageOf(error),
        errorKind: name === 'RuntimeError' ? 'RuntimeError' : 'Error',
        detail: { exception: name, raisedBy: null },
      });
      this.appClose(1011, 'internal error');
    }
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    // The server's binaryType is 'nodebuffer': a message, fragmented or not, is one Buffer.
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
    if (isBinary) {
      const detail = { binary: true, bytes: bytes.byteLength };
      this.record({ conn: this.id, actor: 'client', action: 'message', detail });
      return this.deliverMessage(bytes);
    }
    const text = bytes.toString('utf8');
    if (text.startsWith('pong:')) {
      const nonce = Number(text.slice('pong:'.length));
      if (Number.isInteger(nonce)) return this.input({ type: 'pong', nonce });
    }
    this.record({ conn: this.id, actor: 'client', action: 'message', detail: { bytes: bytes.byteLength } });
    this.deliverMessage(text);
  }

  // ws reports a client's protocol error (a message over maxPayload, invalid UTF-8) after it
  // sent the close frame itself and stopped reading: the core closes with the same code, so
  // the trace shows the close the client received.
  private onError(error: Error): void {
    if (this.finished) return;
    const detail = { level: 'warning', message: error.message };
    this.record({ conn: this.id, actor: 'design', action: 'log', detail });
    const code = protocolCloseCode(error);
    if (code !== null) this.input({ type: 'appClose', code, reason: '' });
  }

  /**
   * Cuts the connection without a close handshake (the server's close deadline passed): the
   * socket is destroyed and the core sees the transport lost.
   */
  terminate(): void {
    if (this.finished) return;
    const detail = { level: 'warning', message: 'terminated: the server close deadline passed' };
    this.record({ conn: this.id, actor: 'design', action: 'log', detail });
    if (this.ws !== null) this.ws.terminate();
    else this.socket.destroy();
  }

  private onClose(code: number, reason: string): void {
    this.client = 'DISCONNECTED';
    if (this.finished) return;
    const abrupt = code === 1006;
    this.record({ conn: this.id, actor: 'client', action: abrupt ? 'abrupt' : 'close', detail: { code } });
    // What an ASGI app would receive: the server now knows the client is gone (P2 reads it).
    const received = {
      conn: this.id,
      actor: 'app',
      action: 'received',
      message: 'websocket.disconnect',
    } as const;
    this.record({ ...received, after: this.states(), detail: { code } });
    if (abrupt) return this.input({ type: 'transportError', error: 'connection lost (1006)' });
    this.input(
      this.state.phase === 'closing' ? { type: 'closeCompleted' } : { type: 'peerClose', code, reason },
    );
  }

  // The core is closed: it settled every event and cancelled its timers. Release the socket
  // (a close handshake that timed out, a failed write) so nothing of it outlives the core.
  private finish(): void {
    this.finished = true;
    if (!this.handlerEnded) {
      this.handlerEnded = true;
      this.record({ conn: this.id, actor: 'app', action: 'handlerReturned' });
    }
    const ws = this.ws;
    if (ws !== null && ws.readyState !== WebSocket.CLOSED) ws.terminate();
    if (ws === null && !this.socket.destroyed) this.socket.destroy();
    this.resolveClosed();
  }
}
