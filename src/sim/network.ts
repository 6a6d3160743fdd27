/**
 * The simulated network of one connection: two ordered pipes (client to server, server to
 * client) with per-frame latency, the server transport's inbound queue that ASGI `receive`
 * reads, and the transport's view of whether the peer is still there.
 */
import { drawLatency, type SimContext } from './context.ts';
import { maxHops, SimFuture } from './runtime.ts';
import { Queue } from './runtimeSync.ts';
import type { AsgiMessage } from './types.ts';

/** Frames one direction of one connection may have in flight; beyond it the run aborts. */
export const pipeCapacity = 10_000;

/** Messages the server transport may hold unread; beyond it the run aborts. */
export const inboundCapacity = 10_000;

/** Thrown by `Link.write` when the peer is gone; the socket turns it into WebSocketDisconnect(1006). */
export class PeerGone extends Error {
  override readonly name = 'PeerGone';
}

interface InFlight {
  readonly message: AsgiMessage;
  delivered: boolean;
}

/**
 * One direction of a TCP connection: a frame arrives at max(its own send time + latency,
 * the previous frame's arrival), so frames never overtake one another.
 */
export class Pipe {
  private readonly queue: InFlight[] = [];
  private lastArrival = 0;
  private readonly context: SimContext;
  private readonly name: string;
  private readonly deliver: (message: AsgiMessage) => void;
  private readonly syncDelivery: boolean;

  /**
   * `syncDelivery`: `deliver` is synchronous and settles no promise (the browser's end), so
   * the frame's timers are `SimClock.setSyncTimer` ones.
   */
  constructor(
    context: SimContext,
    name: string,
    deliver: (message: AsgiMessage) => void,
    syncDelivery = false,
  ) {
    this.context = context;
    this.name = name;
    this.deliver = deliver;
    this.syncDelivery = syncDelivery;
  }

  /** Sends a frame that arrives after `extraDelayMs` plus a drawn latency (and chosen hops). */
  send(message: AsgiMessage, extraDelayMs = 0): void {
    const { clock, chooser } = this.context;
    if (this.queue.length >= pipeCapacity) {
      clock.abort(`network pipe ${this.name} exceeded ${pipeCapacity} frames in flight`);
      return;
    }
    const arrival = Math.max(clock.now() + extraDelayMs + drawLatency(this.context), this.lastArrival);
    this.lastArrival = arrival;
    const frame: InFlight = { message, delivered: false };
    this.queue.push(frame);
    const hops = chooser.choose('hop', maxHops);
    const arrive = (left: number, delay: number): void => {
      // A hop only re-arms, synchronously; the last timer delivers.
      if (left > 0) clock.setSyncTimer(this.name, delay, () => arrive(left - 1, 0));
      else if (this.syncDelivery) clock.setSyncTimer(this.name, delay, () => this.flushThrough(frame));
      else clock.setTimer(this.name, delay, () => this.flushThrough(frame));
    };
    arrive(hops, arrival - clock.now());
  }

  /** Drops everything in flight (the receiving end vanished). */
  discard(): void {
    for (const frame of this.queue) frame.delivered = true;
    this.queue.length = 0;
  }

  // A frame deferred by hops may be overtaken in time by a later one; delivering every
  // earlier frame first keeps TCP order whatever the hops were.
  private flushThrough(frame: InFlight): void {
    if (frame.delivered) return;
    for (;;) {
      const head = this.queue.shift();
      if (head === undefined) return;
      head.delivered = true;
      this.deliver(head.message);
      if (head === frame) return;
    }
  }
}

/**
 * The server side of one connection's transport: what uvicorn hands Starlette as
 * `receive`/`send`.
 *
 * Its write buffer follows uvicorn 0.17.6 over websockets 10.4 on asyncio (the rules and
 * their sources: src/sim/conformance/writeRows.ts, docs/sim.md "Slow readers and write
 * waits"): a send hands its frame to the transport at once, then awaits `drain()`. With
 * `writeBufferFrames` set, the frames that left and are not yet read by the browser (in the
 * kernels' buffers, on the network, in the browser's receive buffer) are counted against
 * the mark: a frame that would take them above it pauses the transport
 * (`_maybe_pause_protocol`, asyncio transports.py) and waits in the transport's buffer with
 * its send, as does every frame written while paused, in order. When the browser has read
 * enough to bring the count to a quarter of the mark (`_maybe_resume_protocol`, the
 * low-water mark is high // 4) they leave and their sends complete; if the peer goes first,
 * the buffer is discarded and the waiting sends fail (websockets' `drain` raises
 * ConnectionClosedError). So a frame's wire entry always comes before the browser reads it,
 * and a frame whose send failed never reaches the browser.
 */
export class Link {
  /** True once the transport knows the peer is gone (its close frame or a reset arrived). */
  peerGone = false;
  /** Frames that left and are not yet read by the browser; counted only with `writeBufferFrames`. */
  private unread = 0;
  /** The transport is above its high-water mark: sends wait for the reader. */
  private paused = false;
  /** Frames waiting in the transport's buffer with their sends, in call order. */
  private readonly drainWaiters: ((gone: boolean) => void)[] = [];
  // uvicorn reads inbound messages from an asyncio.Queue: concurrent receives are served in
  // call order, and a cancelled receive (a timed-out accept) consumes nothing.
  private readonly inbound: Queue<AsgiMessage>;
  private readonly context: SimContext;
  readonly conn: string;

  constructor(context: SimContext, conn: string) {
    this.context = context;
    this.conn = conn;
    this.inbound = new Queue<AsgiMessage>(
      context.runtime,
      context.clock,
      inboundCapacity,
      `server inbound queue of ${conn} exceeded ${inboundCapacity} messages`,
    );
  }

  /** A message reached the server transport (called by the client-to-server pipe). */
  arrive(message: AsgiMessage): void {
    if (message.type === 'websocket.disconnect') {
      this.peerGone = true;
      this.releaseWaiters();
    }
    this.inbound.putNowait(message);
  }

  /**
   * The browser read one frame from its receive buffer (called by the client, also once it
   * closed: the kernel still takes the bytes). At the low-water mark, waiting sends resume.
   */
  read(): void {
    const high = this.context.knobs.writeBufferFrames ?? 0;
    if (high === 0) return;
    if (this.unread > 0) this.unread--;
    if (this.paused && this.unread <= Math.floor(high / 4)) {
      this.paused = false;
      this.context.trace.write({
        conn: this.conn,
        actor: 'net',
        action: 'resumed',
        detail: { unread: this.unread },
      });
      // resume_writing wakes the drain waiters' futures: their tasks run on the next loop turn.
      this.context.clock.setTimer(`write:${this.conn}`, 0, () => this.releaseWaiters());
    }
  }

  /** Lets every waiting send go: it succeeds, or fails when the peer is gone by then. */
  private releaseWaiters(): void {
    for (const release of this.drainWaiters.splice(0)) release(this.peerGone);
  }

  /** ASGI `receive()`: the next inbound message, waiting for one if none is queued. */
  receive(): Promise<AsgiMessage> {
    return this.inbound.get();
  }

  /**
   * ASGI `send()`: one scheduler turn later the frame is written, and the send completes with
   * true, or with false when `check` fails it (the peer is gone). A written frame goes on its
   * way to the browser (`send`) and gets its wire entry (`record`) at once, even if the
   * writing task was cancelled meanwhile. With `writeBufferFrames` set, a frame that would
   * take the frames not yet read above the mark pauses the transport, and from then on frames
   * wait in the transport's buffer, in order, with their sends (see the class comment): when
   * the reader has drained to a quarter of the mark they leave and their sends complete; if
   * the peer goes first they never leave (the reset discards the buffer) and a send that may
   * fail completes with false, a close with true.
   */
  write(check: () => boolean, send: () => void, record: () => void, mayFail = true): Promise<boolean> {
    const { clock, runtime } = this.context;
    if (clock.aborted() !== null) return runtime.never();
    const fut = new SimFuture<boolean>();
    const leave = (): void => {
      send();
      record();
      if ((this.context.knobs.writeBufferFrames ?? 0) > 0) this.unread++;
    };
    const done = (): void => {
      if (!check()) return fut.setResult(false);
      if (this.peerGone || !this.mustWait()) {
        leave();
        return fut.setResult(true);
      }
      this.drainWaiters.push((gone) => {
        if (!gone) leave();
        fut.setResult(!gone || !mayFail);
      });
    };
    clock.setTimer(`write:${this.conn}`, 0, done, runtime.running());
    return runtime.awaitFuture(fut);
  }

  /** Whether a frame written now must wait in the transport's buffer (pausing it if needed). */
  private mustWait(): boolean {
    const high = this.context.knobs.writeBufferFrames ?? 0;
    if (high === 0) return false;
    if (!this.paused && this.unread + 1 > high) {
      this.paused = true;
      this.context.trace.write({
        conn: this.conn,
        actor: 'net',
        action: 'paused',
        detail: { unread: this.unread + 1 },
      });
    }
    return this.paused;
  }
}
