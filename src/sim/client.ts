/**
 * The simulated browser of one connection and the two pipes between it and the server
 * transport: handshake delay, peer close, abrupt disconnect, send failure, heartbeat
 * replies and clock skew all live here.
 */
import type { TraceDraft } from '../trace/entry.ts';
import type { SimContext } from './context.ts';
import { frameOf } from './frames.ts';
import {
  pongDelayMs,
  readStallMs,
  shouldFailSend,
  shouldPeerClose,
  shouldStallReader,
  shouldVanish,
} from './faults.ts';
import { Link, PeerGone, Pipe } from './network.ts';
import type { AsgiMessage } from './types.ts';

/** Close code a browser sends when the user leaves the page (fault-injected peer close). */
export const goingAwayCode = 1001;

/** Code the server sees when the connection vanished without a close frame. */
export const abnormalClosureCode = 1006;

/** The entries a simulated browser writes (a real one's handshake failure is not simulated). */
type ClientDraft = Exclude<
  Extract<TraceDraft, { readonly actor: 'client' }>,
  { readonly action: 'handshakeFailed' }
>;
/** A draft before the browser adds its `conn` and `actor`. */
type Unstamped<D> = D extends unknown ? Omit<D, 'conn' | 'actor'> : never;

type ClientState = 'connecting' | 'open' | 'closing' | 'closed' | 'gone';

/**
 * The browser end of one connection. The socket reaches it only through `link` (what
 * uvicorn hands Starlette) and `transmit` (a frame the server wrote).
 *
 * @example
 * const client = new SimClient(context, 'c1');
 * client.open(); // websocket.connect reaches the server after handshake delay + latency
 */
export class SimClient {
  readonly link: Link;
  private state: ClientState = 'connecting';
  private readonly context: SimContext;
  private readonly conn: string;
  private readonly up: Pipe;
  private readonly down: Pipe;
  /** Frames that reached the browser while its reader stalls, read in order when it resumes. */
  private unreadFrames: AsgiMessage[] = [];
  private stalled = false;

  constructor(context: SimContext, conn: string) {
    this.context = context;
    this.conn = conn;
    this.link = new Link(context, conn);
    this.up = new Pipe(context, `net:${conn}:up`, (message) => this.reachServer(message));
    // The browser's end runs synchronously (trace, state, frames back up the pipe).
    this.down = new Pipe(context, `net:${conn}:down`, (message) => this.reachReader(message), true);
  }

  /** The browser's state, for tests. */
  status(): ClientState {
    return this.state;
  }

  /** Sends the upgrade request: `websocket.connect` arrives after handshake delay + latency. */
  open(): void {
    const handshake = this.context.chooser.choose('handshake', this.context.knobs.handshakeDelayMsMax);
    this.up.send({ type: 'websocket.connect' }, handshake);
  }

  /** The user's page sends a text message (ignored unless the socket is open). */
  message(text: string): void {
    if (this.state !== 'open') return;
    this.write({ action: 'message', detail: { text } });
    this.up.send({ type: 'websocket.receive', text });
  }

  /** The browser closes with `code`; before the handshake finished that aborts it (1006). */
  peerClose(code: number): void {
    if (this.state === 'connecting') {
      this.write({ action: 'close', detail: { code } });
      this.state = 'gone';
      this.down.discard();
      this.up.send({ type: 'websocket.disconnect', code: abnormalClosureCode });
      return;
    }
    if (this.state !== 'open') return;
    this.write({ action: 'close', detail: { code } });
    this.state = 'closing';
    this.up.send({ type: 'websocket.disconnect', code });
  }

  /** The browser vanishes: frames to it are lost, the server learns after one latency. */
  abrupt(): void {
    if (this.state === 'gone' || this.state === 'closed') return;
    this.write({ action: 'abrupt', detail: {} });
    this.state = 'gone';
    this.down.discard();
    this.unreadFrames = [];
    this.up.send({ type: 'websocket.disconnect', code: abnormalClosureCode });
  }

  /**
   * The server transport writes `message` (after `mayFail` decides whether the write can
   * fail): resolves when the bytes left, rejects with `PeerGone` when the peer is gone.
   * Writes `net/wire` or leaves the failure to the socket. `denied`: a close before accept,
   * which the browser sees as HTTP 403.
   */
  async transmit(message: AsgiMessage, mayFail: boolean, denied: boolean): Promise<void> {
    const ok = await this.link.write(
      () => !mayFail || this.writeSucceeds(),
      () => this.down.send(message),
      () =>
        this.context.trace.write({
          conn: this.conn,
          actor: 'net',
          action: 'wire',
          message: message.type,
          frame: frameOf(message),
          detail: denied ? { status: 403 } : undefined,
        }),
      mayFail,
    );
    if (!ok) throw new PeerGone(`peer of ${this.conn} is gone`);
  }

  private writeSucceeds(): boolean {
    if (this.link.peerGone) return false;
    if (shouldFailSend(this.context)) {
      // A failed write means the connection broke: the peer is gone for good.
      this.write({ action: 'abrupt', detail: { cause: 'sendFailure' } });
      this.state = 'gone';
      this.down.discard();
      this.link.arrive({ type: 'websocket.disconnect', code: abnormalClosureCode });
      return false;
    }
    return true;
  }

  /**
   * Called when the upgrade request reaches the server, before `websocket.connect` is queued:
   * uvicorn calls the app only then (measured on uvicorn 0.17.6, bench/uvicornConnect.ts).
   */
  onConnect: (() => void) | null = null;

  private reachServer(message: AsgiMessage): void {
    if (message.type === 'websocket.connect') {
      this.write({ action: 'connect' });
      const start = this.onConnect;
      this.onConnect = null;
      start?.();
    }
    this.link.arrive(message);
  }

  /**
   * A frame reached the browser's receive buffer: read at once, unless the reader stalls
   * (a fault, healed with the others: `readStallPerMillion` per frame arriving while it
   * reads normally, for 1 to `readStallMsMax` ms); what arrives meanwhile is read, in
   * order, when the stall ends.
   */
  private reachReader(message: AsgiMessage): void {
    if (!this.stalled && this.stallsNow()) this.stalled = true;
    if (this.stalled) this.unreadFrames.push(message);
    else this.read(message);
  }

  private stallsNow(): boolean {
    if (this.state !== 'open' || !shouldStallReader(this.context)) return false;
    const ms = readStallMs(this.context);
    this.write({ action: 'stalled', detail: { ms } });
    this.context.clock.setSyncTimer(`reader:${this.conn}`, ms, () => this.resumeReading());
    return true;
  }

  private resumeReading(): void {
    this.stalled = false;
    const frames = this.unreadFrames;
    this.unreadFrames = [];
    for (const message of frames) this.read(message);
  }

  private read(message: AsgiMessage): void {
    this.link.read();
    this.reachClient(message);
  }

  private reachClient(message: AsgiMessage): void {
    if (this.state === 'gone' || this.state === 'closed') return;
    const denied = message.type === 'websocket.close' && this.state === 'connecting';
    this.write({
      action: 'received',
      message: message.type,
      frame: frameOf(message),
      detail: denied ? { status: 403 } : undefined,
    });
    switch (message.type) {
      case 'websocket.accept':
        if (this.state === 'connecting') this.state = 'open';
        return;
      case 'websocket.close':
        if (this.state === 'open') {
          // The browser answers a close frame with its own (RFC 6455 section 5.5.1).
          this.write({ action: 'close', detail: { code: message.code, echo: true } });
          this.up.send({ type: 'websocket.disconnect', code: message.code, reason: message.reason ?? '' });
        }
        this.state = 'closed';
        return;
      case 'websocket.send':
        this.answerPing(message);
        this.maybeFault();
        return;
      case 'websocket.http.response.body':
        // The last body part of a denial response: the upgrade failed with that HTTP answer.
        if (message.more_body !== true) this.state = 'closed';
        return;
      default:
        return;
    }
  }

  private answerPing(message: AsgiMessage): void {
    const frame = frameOf(message);
    if (frame === null || typeof frame !== 'object' || Array.isArray(frame)) return;
    const record = frame as { readonly [k: string]: unknown };
    if (record['kind'] !== 'ping' || typeof record['nonce'] !== 'number' || this.state !== 'open') return;
    // A busy tab answers late: the pong delay is a fault, healed with the others.
    const delay = pongDelayMs(this.context);
    const text = `pong:${record['nonce']}`;
    this.write({ action: 'message', detail: { text } });
    this.up.send({ type: 'websocket.receive', text }, delay);
  }

  private maybeFault(): void {
    if (this.state !== 'open') return;
    if (shouldPeerClose(this.context)) this.peerClose(goingAwayCode);
    else if (shouldVanish(this.context)) this.abrupt();
  }

  // Writes a client entry; with a clock skew its detail gets the browser's own clock.
  private write(draft: Unstamped<ClientDraft>): void {
    const skew = this.context.knobs.clockSkewMs;
    const detail = skew === 0 ? draft.detail : { ...draft.detail, clientMs: this.context.clock.now() + skew };
    // Every kind of ClientDraft has an optional `clientMs` in its detail.
    this.context.trace.write({ conn: this.conn, actor: 'client', ...draft, detail } as ClientDraft);
  }
}
