/**
 * The server socket designs talk to: Starlette's `WebSocket` as in starlette/websockets.py
 * of 0.47.x (identical in this respect from 0.38.4 on), method for method, with its two
 * state variables and its exact error texts. Every call is written to the trace
 * (docs/trace.md) with the states before and after.
 *
 * Older releases differ: before 0.38.4 the send-before-accept text has no spaces after its
 * commas (`"websocket.accept","websocket.close" or ...,but got`); before 0.37 there is no
 * RESPONSE state and a denial response is not accepted at all; 0.26.1 (Debian 12's
 * python3-starlette) lets a failed CONNECTED write raise the raw OSError and stays
 * CONNECTED, where 0.36+ moves to DISCONNECTED and raises WebSocketDisconnect(1006).
 */
import { assertNever } from '../core/assertNever.ts';
import type { JsonValue } from '../core/types.ts';
import type { TraceDraft } from '../trace/entry.ts';
import type { SimClient } from './client.ts';
import type { SimContext } from './context.ts';
import { KeyError, RuntimeError, WebSocketDisconnect } from './errors.ts';
import { frameOf } from './frames.ts';
import { PeerGone } from './network.ts';
import type { AsgiMessage, SimSocket, SocketStates, WebSocketState } from './types.ts';

/** Starlette's text when receive_* is called while application_state != CONNECTED. */
export const notConnectedMessage = 'WebSocket is not connected. Need to call "accept" first.';

/** Starlette's text when receive is called after a websocket.disconnect was received. */
export const receiveAfterDisconnectMessage =
  'Cannot call "receive" once a disconnect message has been received.';

/** Starlette's text when send is called after a close was sent. */
export const sendAfterCloseMessage = 'Cannot call "send" once a close message has been sent.';

const utf8 = new TextEncoder();

/** Python's `repr()` of a message type, as Starlette's f-strings print it (`{t!r}`). */
function pyRepr(text: string): string {
  return `'${text}'`;
}

/** An entry of an ASGI send: `app/accept`, `app/send` or `app/close`. */
type AppCallDraft = Extract<
  TraceDraft,
  { readonly actor: 'app'; readonly action: 'accept' | 'send' | 'close' }
>;
/** The fields the three kinds of `AppCallDraft` share (all but `action`). */
type AppCallFields = Omit<AppCallDraft, 'action'>;

/** Trace action of an ASGI send. */
function sendAction(type: AsgiMessage['type']): AppCallDraft['action'] {
  if (type === 'websocket.accept') return 'accept';
  if (type === 'websocket.close') return 'close';
  return 'send';
}

/**
 * Starlette's `WebSocket` on the simulated transport.
 *
 * @example
 * await socket.accept();            // awaits websocket.connect first, like Starlette
 * await socket.sendJson({ a: 1 });  // app/send, then net/wire once the write succeeds
 */
export class StarletteSocket implements SimSocket {
  clientState: WebSocketState = 'CONNECTING';
  applicationState: WebSocketState = 'CONNECTING';
  private readonly context: SimContext;
  private readonly client: SimClient;
  readonly conn: string;

  constructor(context: SimContext, conn: string, client: SimClient) {
    this.context = context;
    this.conn = conn;
    this.client = client;
  }

  private states(): SocketStates {
    return { client: this.clientState, app: this.applicationState };
  }

  // Starlette `receive()`: client_state CONNECTING expects websocket.connect; CONNECTED
  // expects websocket.receive or websocket.disconnect (-> DISCONNECTED); DISCONNECTED raises.
  receive(): Promise<AsgiMessage> {
    return this.receiveMessage(true);
  }

  private async receiveMessage(traced: boolean): Promise<AsgiMessage> {
    if (this.halted()) return this.context.runtime.never();
    const before = this.states();
    const fail = this.clientState === 'DISCONNECTED' ? new RuntimeError(receiveAfterDisconnectMessage) : null;
    if (traced) this.traceReceive(before, fail);
    if (fail !== null) throw fail;
    const expectConnect = this.clientState === 'CONNECTING';
    const message = await this.client.link.receive();
    let error: RuntimeError | null = null;
    if (expectConnect) {
      if (message.type !== 'websocket.connect') {
        error = new RuntimeError(
          `Expected ASGI message "websocket.connect", but got ${pyRepr(message.type)}`,
        );
      } else this.clientState = 'CONNECTED';
    } else if (message.type !== 'websocket.receive' && message.type !== 'websocket.disconnect') {
      error = new RuntimeError(
        `Expected ASGI message "websocket.receive" or "websocket.disconnect", but got ${pyRepr(message.type)}`,
      );
    } else if (message.type === 'websocket.disconnect') this.clientState = 'DISCONNECTED';
    this.context.trace.write({
      conn: this.conn,
      actor: 'app',
      action: 'received',
      message: message.type,
      frame: frameOf(message),
      after: this.states(),
      error: error?.message,
      errorKind: error === null ? undefined : 'RuntimeError',
    });
    if (error !== null) throw error;
    return message;
  }

  // Starlette `send()`: the new application_state is set BEFORE `await self._send(...)`, so
  // a second concurrent close raises at once; an OSError from a CONNECTED write becomes
  // DISCONNECTED + WebSocketDisconnect(1006).
  async send(message: AsgiMessage): Promise<void> {
    if (this.halted()) return this.context.runtime.never();
    const before = this.states();
    const action = sendAction(message.type);
    const error = this.transition(message);
    const call: AppCallFields & { readonly action: AppCallDraft['action'] } = {
      conn: this.conn,
      actor: 'app',
      action,
      message: message.type,
      before,
      after: this.states(),
      frame: frameOf(message),
      error: error?.message,
      errorKind: error === null ? undefined : 'RuntimeError',
    };
    // The three kinds share one shape: only the pairing of action and kind is asserted.
    this.context.trace.write(call as AppCallDraft);
    if (error !== null) throw error;
    if (before.client === 'DISCONNECTED' && before.app === 'CONNECTED')
      throw this.sendAfterDisconnect(message);
    // Handshake answers (accept, a denial, an HTTP response) go to the kernel buffer and do
    // not fail here in uvicorn; only CONNECTED writes see a vanished peer.
    const connected = before.app === 'CONNECTED';
    try {
      await this.client.transmit(message, connected, before.app === 'CONNECTING' && action === 'close');
    } catch (failure) {
      if (!(failure instanceof PeerGone)) throw failure;
      this.applicationState = 'DISCONNECTED';
      const disconnect = new WebSocketDisconnect(1006);
      this.context.trace.write({
        conn: this.conn,
        actor: 'net',
        action: 'sendFailed',
        message: message.type,
        error: disconnect.message,
        errorKind: 'WebSocketDisconnect',
      });
      throw disconnect;
    }
  }

  /**
   * uvicorn's answer to a send or close once the app has received `websocket.disconnect`:
   * its websockets implementation (uvicorn/protocols/websockets/websockets_impl.py,
   * `asgi_send`, 0.17.6) set `closed_event` when `asgi_receive` returned the disconnect, so the
   * message never reaches the transport and a RuntimeError is raised. Pinned against real
   * uvicorn by adapters/python/runner/conformance/rows.py (`send_after_disconnect`,
   * `close_after_disconnect`).
   */
  private sendAfterDisconnect(message: AsgiMessage): RuntimeError {
    const raised = new RuntimeError(
      `Unexpected ASGI message ${pyRepr(message.type)}, after sending 'websocket.close'.`,
    );
    this.context.trace.write({
      conn: this.conn,
      actor: 'net',
      action: 'sendFailed',
      message: message.type,
      error: raised.message,
      errorKind: 'RuntimeError',
    });
    return raised;
  }

  /** Applies Starlette's send-side transition; returns the RuntimeError it would raise. */
  private transition(message: AsgiMessage): RuntimeError | null {
    const type = message.type;
    switch (this.applicationState) {
      case 'CONNECTING':
        if (type === 'websocket.accept') this.applicationState = 'CONNECTED';
        else if (type === 'websocket.close') this.applicationState = 'DISCONNECTED';
        else if (type === 'websocket.http.response.start') this.applicationState = 'RESPONSE';
        else {
          return new RuntimeError(
            `Expected ASGI message "websocket.accept", "websocket.close" or "websocket.http.response.start", but got ${pyRepr(type)}`,
          );
        }
        return null;
      case 'CONNECTED':
        if (type === 'websocket.close') this.applicationState = 'DISCONNECTED';
        else if (type !== 'websocket.send') {
          return new RuntimeError(
            `Expected ASGI message "websocket.send" or "websocket.close", but got ${pyRepr(type)}`,
          );
        }
        return null;
      case 'RESPONSE':
        // The denial response's body; the last one (no more_body) ends the connection.
        if (message.type !== 'websocket.http.response.body') {
          return new RuntimeError(
            `Expected ASGI message "websocket.http.response.body", but got ${pyRepr(type)}`,
          );
        }
        if (message.more_body !== true) this.applicationState = 'DISCONNECTED';
        return null;
      case 'DISCONNECTED':
        return new RuntimeError(sendAfterCloseMessage);
      default:
        return assertNever(this.applicationState);
    }
  }

  // Starlette `accept(subprotocol=None, headers=None)`: "If we haven't yet seen the
  // 'connect' message, then wait for it first." The inner receive is part of accept, so it
  // writes no app/receive entry. The message carries `subprotocol` and `headers or []`.
  async accept(subprotocol?: string, headers?: readonly (readonly [string, string])[]): Promise<void> {
    if (this.clientState === 'CONNECTING') await this.receiveMessage(false);
    await this.send({ type: 'websocket.accept', subprotocol: subprotocol ?? null, headers: headers ?? [] });
  }

  // Starlette `receive_text/receive_json`: the application_state check runs at call time,
  // then `_raise_on_disconnect` turns websocket.disconnect into WebSocketDisconnect(code).
  private async receiveData(): Promise<AsgiMessage & { type: 'websocket.receive' }> {
    if (this.halted()) return this.context.runtime.never();
    if (this.applicationState !== 'CONNECTED') {
      const error = new RuntimeError(notConnectedMessage);
      this.traceReceive(this.states(), error);
      throw error;
    }
    const message = await this.receiveMessage(true);
    if (message.type === 'websocket.disconnect')
      throw new WebSocketDisconnect(message.code, message.reason ?? '');
    return message as AsgiMessage & { type: 'websocket.receive' };
  }

  // Starlette `receive_text`: `message["text"]`, a KeyError('text') on a binary frame.
  async receiveText(): Promise<string> {
    const message = await this.receiveData();
    if (message.text === undefined) throw new KeyError('text');
    return message.text;
  }

  // Starlette `receive_json(mode="text")`: json.loads(message["text"]).
  async receiveJson(): Promise<JsonValue> {
    const message = await this.receiveData();
    if (message.text === undefined) throw new KeyError('text');
    return JSON.parse(message.text) as JsonValue;
  }

  /** Starlette `receive_bytes`: `message["bytes"]`, a KeyError('bytes') on a text frame. */
  async receiveBytes(): Promise<readonly number[]> {
    const message = await this.receiveData();
    if (message.bytes === undefined) throw new KeyError('bytes');
    return message.bytes;
  }

  sendText(data: string): Promise<void> {
    return this.send({ type: 'websocket.send', text: data });
  }

  /** Starlette `send_bytes`. */
  sendBytes(data: readonly number[]): Promise<void> {
    return this.send({ type: 'websocket.send', bytes: data });
  }

  // Starlette `send_json(mode="text")`: json.dumps(data, separators=(",", ":")).
  sendJson(data: JsonValue): Promise<void> {
    return this.send({ type: 'websocket.send', text: JSON.stringify(data) });
  }

  // Starlette `close(code=1000, reason=None)`: sends websocket.close with reason or "".
  close(code = 1000, reason?: string): Promise<void> {
    return this.send({ type: 'websocket.close', code, reason: reason ?? '' });
  }

  /** Byte length of a close reason, for designs that validate it (RFC 6455: <= 123). */
  static reasonBytes(reason: string): number {
    return utf8.encode(reason).length;
  }

  // Once the run is aborted (livelock, capacity) every call hangs instead of raising, so a
  // design looping on a failing call stops spinning and the process can go on.
  private halted(): boolean {
    return this.context.clock.aborted() !== null;
  }

  private traceReceive(before: SocketStates, error: RuntimeError | null): void {
    this.context.trace.write({
      conn: this.conn,
      actor: 'app',
      action: 'receive',
      before,
      error: error?.message,
      errorKind: error === null ? undefined : 'RuntimeError',
    });
  }
}
