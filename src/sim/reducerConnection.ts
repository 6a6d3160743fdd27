/**
 * The reducer driver's per-connection actor: feeds inputs to a `ReducerDesign` and
 * executes the effects it returns against the simulated socket, services and clock.
 */
import { assertNever } from '../core/assertNever.ts';
import type { Effect, Input, JsonValue, LifecycleConfig, TimerName } from '../core/types.ts';
import type { SimContext } from './context.ts';
import { WebSocketDisconnect, errorMessageOf } from './errors.ts';
import type { SimConnection } from './server.ts';
import type { ReducerDesign, SimServices } from './types.ts';

/** Code of a `websocket.disconnect` that carried no close frame (the peer vanished). */
const abnormalClosure = 1006;

/**
 * One connection's reducer state and the machinery that executes its effects: socket
 * effects through a serial mailbox, timers on the clock, outcomes to the trace.
 *
 * @example
 * const machine = new ReducerConnection(context, design, services, config, connection);
 * machine.input({ type: 'connect' });
 */
export class ReducerConnection {
  private state: unknown;
  private phase: string;
  private buffered: number;
  private mailbox: Promise<void> = Promise.resolve();
  private readonly timers = new Map<TimerName, number>();
  private receiving = false;

  constructor(
    private readonly context: SimContext,
    private readonly design: ReducerDesign<unknown>,
    private readonly services: SimServices,
    private readonly config: LifecycleConfig,
    readonly connection: SimConnection,
  ) {
    this.phase = 'connecting';
    this.buffered = 0;
    this.state = this.guard('initial', null, () => design.initial(config), undefined);
    if (this.broken) return;
    this.phase = this.guard('phaseOf', null, () => design.phaseOf(this.state), this.phase);
    this.buffered = this.guard('bufferedCount', null, () => design.bufferedCount(this.state), 0);
  }

  /** True once a design function threw or returned something malformed: no more inputs. */
  private broken = false;

  /**
   * Runs a design function; when it throws, writes `design/error` (which function, on which
   * input, the message), stops driving this connection and returns `fallback`: a broken
   * design is a verdict of its own, never an exception that ends the exploration.
   */
  private guard<T>(where: string, input: Input['type'] | null, fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (error) {
      this.fail(where, input, errorMessageOf(error));
      return fallback;
    }
  }

  private fail(where: string, input: Input['type'] | null, error: string): void {
    if (this.broken) return;
    this.broken = true;
    this.context.trace.write({
      conn: this.connection.id,
      actor: 'design',
      action: 'error',
      phase: this.phase,
      detail: input === null ? { where, error } : { where, input, error },
    });
  }

  currentPhase(): string {
    return this.phase;
  }

  /**
   * Steps the design with `input`, records phase and buffer changes, runs the effects. A
   * `step` that throws is written as `design/threw` (input type, phase, message) and leaves
   * the state unchanged.
   */
  input(input: Input): void {
    if (this.broken) return;
    const { trace } = this.context;
    const conn = this.connection.id;
    let effects: readonly Effect[];
    try {
      const result = this.design.step(this.state, input);
      this.state = result.state;
      effects = result.effects;
    } catch (error) {
      // SPEC section 4: an input is never answered with a throw. The state stays as it was
      // and no effect runs; P4 reports the entry.
      trace.write({
        conn,
        actor: 'design',
        action: 'threw',
        detail: { input: input.type, phase: this.phase, error: errorMessageOf(error) },
      });
      return;
    }
    const malformed = malformedResult(effects);
    if (malformed !== null) return this.fail('step', input.type, malformed);
    const phase = this.guard('phaseOf', input.type, () => this.design.phaseOf(this.state), this.phase);
    if (this.broken) return;
    if (phase !== this.phase) {
      trace.write({
        conn,
        actor: 'design',
        action: 'phase',
        phase,
        detail: { machine: 'core', from: this.phase, to: phase, applied: true },
      });
      this.phase = phase;
    }
    const buffered = this.guard('bufferedCount', input.type, () => this.design.bufferedCount(this.state), 0);
    if (this.broken) return;
    if (buffered !== this.buffered) {
      trace.write({
        conn,
        actor: 'design',
        action: 'buffer',
        detail: { size: buffered, capacity: this.config.capacity },
      });
      this.buffered = buffered;
    }
    for (const effect of effects) this.execute(effect);
  }

  private execute(effect: Effect): void {
    if (this.broken) return;
    const conn = this.connection.id;
    const { trace } = this.context;
    switch (effect.type) {
      case 'accept':
      case 'send':
      case 'close':
        return this.executeSocket(effect);
      case 'startAuth':
        void this.services
          .authenticate(this.connection)
          .then((ok) =>
            this.input(
              ok
                ? { type: 'authSucceeded', userId: this.connection.userId }
                : { type: 'authFailed', reason: 'authentication failed' },
            ),
          );
        return;
      case 'prepareServices':
        void this.services.prepare(this.connection).then(() => this.input({ type: 'servicesReady' }));
        return;
      case 'setTimer':
        return this.setTimer(effect.name, effect.ms);
      case 'cancelTimer':
        return this.cancelTimer(effect.name);
      case 'outcome':
        trace.write({
          conn,
          actor: 'design',
          action: 'outcome',
          detail: { eventId: effect.eventId, outcome: effect.outcome },
        });
        return;
      case 'rejected':
        trace.write({
          conn,
          actor: 'design',
          action: 'rejected',
          phase: effect.phase,
          detail: { input: effect.input, phase: effect.phase, reason: effect.reason },
        });
        return;
      default:
        return assertNever(effect);
    }
  }

  /**
   * A socket effect: queued behind the connection's earlier socket operations, its result
   * coming back as the core's input.
   */
  private executeSocket(effect: Extract<Effect, { type: 'accept' | 'send' | 'close' }>): void {
    const { socket } = this.connection;
    switch (effect.type) {
      case 'accept':
        return this.enqueue(async () => {
          try {
            await socket.accept();
          } catch (error) {
            return this.input({ type: 'transportError', error: errorMessageOf(error) });
          }
          this.input({ type: 'acceptCompleted' });
          this.startReceiveLoop();
        });
      case 'send':
        return this.enqueue(async () => {
          try {
            await socket.sendJson(effect.frame as unknown as JsonValue);
          } catch (error) {
            if (error instanceof WebSocketDisconnect)
              return this.input({ type: 'sendFailed', error: errorMessageOf(error) });
            return this.input({ type: 'transportError', error: errorMessageOf(error) });
          }
          this.input({ type: 'sendCompleted' });
        });
      case 'close':
        return this.enqueue(
          async () => {
            try {
              await socket.close(effect.code, effect.reason);
            } catch (error) {
              // A close whose write found the peer gone still ends the close handshake.
              if (!(error instanceof WebSocketDisconnect)) {
                return this.input({ type: 'transportError', error: errorMessageOf(error) });
              }
            }
            this.input({ type: 'closeCompleted' });
          },
          () => socket.applicationState === 'CONNECTED' && socket.clientState === 'CONNECTED',
        );
      default:
        return assertNever(effect);
    }
  }

  /** Arms timer `name` (cancelling an armed one); when it fires, the core gets `timerFired`. */
  private setTimer(name: TimerName, ms: number): void {
    this.cancelTimer(name);
    // Timers are judged over their life (P10): armed in which phase, fired in which.
    this.writeTimer('set', name, { ms });
    const id = this.context.clock.setTimer(`core:${this.connection.id}:${name}`, ms, () => {
      this.timers.delete(name);
      this.writeTimer('fired', name);
      this.input({ type: 'timerFired', name });
    });
    this.timers.set(name, id);
  }

  private cancelTimer(name: TimerName): void {
    const id = this.timers.get(name);
    if (id === undefined) return;
    this.timers.delete(name);
    this.context.clock.clearTimer(id);
    this.writeTimer('cancelled', name);
  }

  /** `design/timer`: a timer of this connection armed, cancelled or fired, in the current phase. */
  private writeTimer(op: 'set' | 'cancelled' | 'fired', name: TimerName, extra: { ms?: number } = {}): void {
    this.context.trace.write({
      conn: this.connection.id,
      actor: 'design',
      action: 'timer',
      phase: this.phase,
      detail: { op, name, ...extra },
    });
  }

  // The actor mailbox: socket operations start only after the previous one settled. An
  // operation issued before the connection reached `closed` and still queued once it did is
  // stale (its outcome was already reported): it is dropped, like mail to a stopped actor;
  // but a close still runs while neither side has closed the socket (a close handshake that
  // timed out behind a send waiting for a slow reader still closes the socket). Operations issued
  // in `closed` still run, so a design that sends after close is caught.
  private enqueue(operation: () => Promise<void>, stillNeeded: () => boolean = () => false): void {
    const issuedWhileOpen = this.phase !== 'closed';
    this.mailbox = this.mailbox
      .then(() => {
        if (issuedWhileOpen && this.phase === 'closed' && !stillNeeded()) {
          this.context.trace.write({
            conn: this.connection.id,
            actor: 'design',
            action: 'log',
            detail: {
              level: 'debug',
              message: 'driver dropped a socket operation queued before the connection closed',
            },
          });
          return undefined;
        }
        return operation();
      })
      .catch((error: unknown) => {
        this.context.trace.write({
          conn: this.connection.id,
          actor: 'design',
          action: 'log',
          detail: { level: 'error', message: `driver operation failed: ${errorMessageOf(error)}` },
        });
      });
  }

  // Reads client messages while the app may still receive (never after its own close: P3).
  private startReceiveLoop(): void {
    if (this.receiving) return;
    this.receiving = true;
    const { socket } = this.connection;
    const loop = async (): Promise<void> => {
      while (socket.applicationState === 'CONNECTED' && socket.clientState === 'CONNECTED') {
        const message = await socket.receive();
        if (message.type === 'websocket.disconnect') {
          if (message.code === abnormalClosure) {
            this.input({ type: 'transportError', error: 'connection lost (1006)' });
          } else this.input({ type: 'peerClose', code: message.code, reason: message.reason ?? '' });
          return;
        }
        if (
          message.type === 'websocket.receive' &&
          message.text !== undefined &&
          message.text.startsWith('pong:')
        ) {
          const nonce = Number(message.text.slice('pong:'.length));
          if (Number.isInteger(nonce)) this.input({ type: 'pong', nonce });
        }
      }
    };
    this.context.runtime.spawnTask(`receive:${this.connection.id}`, loop, this.connection.id, true);
  }
}

const effectTypes: ReadonlySet<string> = new Set<Effect['type']>([
  'accept',
  'send',
  'close',
  'startAuth',
  'prepareServices',
  'setTimer',
  'cancelTimer',
  'outcome',
  'rejected',
]);

/**
 * What is wrong with a step's effects, or null when each is a known effect with the fields
 * the driver needs. Pure. A design's `step` is called with untyped JavaScript too.
 */
function malformedResult(effects: unknown): string | null {
  if (!Array.isArray(effects)) return `step returned effects that are not an array (${typeof effects})`;
  for (const [k, effect] of effects.entries()) {
    const e = effect as { readonly [key: string]: unknown } | null;
    if (e === null || typeof e !== 'object' || typeof e['type'] !== 'string' || !effectTypes.has(e['type']))
      return `effect ${k} is not a known effect: ${JSON.stringify(effect) ?? String(effect)}`;
    const bad =
      (e['type'] === 'setTimer' && (typeof e['name'] !== 'string' || typeof e['ms'] !== 'number')) ||
      (e['type'] === 'cancelTimer' && typeof e['name'] !== 'string') ||
      (e['type'] === 'close' && typeof e['code'] !== 'number') ||
      (e['type'] === 'send' && (e['frame'] === null || typeof e['frame'] !== 'object')) ||
      (e['type'] === 'outcome' && (typeof e['eventId'] !== 'string' || typeof e['outcome'] !== 'object'));
    if (bad) return `effect ${k} (${e['type']}) lacks a field the driver needs: ${JSON.stringify(effect)}`;
  }
  return null;
}
