/**
 * Public types of the reference core: phases, inputs, effects, outcomes, configuration.
 *
 * This file is the contract between the pure core (src/core), the simulation that drives
 * it (src/sim) and the checkers (src/properties). It holds types only.
 */

/** Lifecycle phases of one server-side connection (SPEC section 4). */
export type Phase =
  'connecting' | 'accepting' | 'authenticating' | 'preparing' | 'ready' | 'closing' | 'closed';

/** Any JSON value; events and frames are plain data so traces serialise byte for byte. */
export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [k: string]: JsonValue };

/** An agent event to deliver to the browser. `id` is unique per run and names the emit. */
export interface AgentEvent {
  readonly id: string;
  readonly type: string;
  readonly payload?: JsonValue;
}

/** Names of the deadlines and periodic timers the core asks its driver to run. */
export type TimerName = 'handshake' | 'auth' | 'prepare' | 'heartbeat' | 'batchFlush' | 'closeHandshake';

/** A data frame on the wire: one sequenced event, a batch of them, or a heartbeat ping. */
export type Frame =
  | { readonly kind: 'event'; readonly seq: number; readonly event: AgentEvent }
  | {
      readonly kind: 'batch';
      readonly events: readonly { readonly seq: number; readonly event: AgentEvent }[];
    }
  | { readonly kind: 'ping'; readonly nonce: number };

/** The one final outcome of an emit (SPEC section 5). */
export type Outcome =
  | { readonly kind: 'delivered'; readonly seq: number }
  | { readonly kind: 'dropped'; readonly reason: 'overflow' }
  | { readonly kind: 'refused'; readonly reason: 'backpressure' | 'closed' | 'invalid' }
  | { readonly kind: 'undeliverable'; readonly reason: 'closed' | 'authFailed' };

/** Everything that can happen to a connection, as data. Time arrives only as `timerFired`. */
export type Input =
  | { readonly type: 'connect' }
  | { readonly type: 'acceptCompleted' }
  | { readonly type: 'authSucceeded'; readonly userId: string }
  | { readonly type: 'authFailed'; readonly reason: string }
  | { readonly type: 'servicesReady' }
  | { readonly type: 'emit'; readonly event: AgentEvent }
  | { readonly type: 'sendCompleted' }
  | { readonly type: 'sendFailed'; readonly error: string }
  | { readonly type: 'appClose'; readonly code: number; readonly reason: string }
  | { readonly type: 'peerClose'; readonly code: number; readonly reason: string }
  | { readonly type: 'closeCompleted' }
  | { readonly type: 'transportError'; readonly error: string }
  | { readonly type: 'timerFired'; readonly name: TimerName }
  | { readonly type: 'pong'; readonly nonce: number };

/** Actions the core asks its driver to perform. The core itself performs none. */
export type Effect =
  | { readonly type: 'accept' }
  | { readonly type: 'send'; readonly frame: Frame }
  | { readonly type: 'close'; readonly code: number; readonly reason: string }
  | { readonly type: 'startAuth' }
  | { readonly type: 'prepareServices' }
  | { readonly type: 'setTimer'; readonly name: TimerName; readonly ms: number }
  | { readonly type: 'cancelTimer'; readonly name: TimerName }
  | { readonly type: 'outcome'; readonly eventId: string; readonly outcome: Outcome }
  | {
      readonly type: 'rejected';
      /** The rejected input's type; 'unknown' for an input that is not an `Input` at all. */
      readonly input: Input['type'] | 'unknown';
      readonly phase: Phase;
      readonly reason: string;
    };

/** Configuration of one connection's lifecycle; validated by `initial()`. */
export interface LifecycleConfig {
  /** Buffer capacity in events (before `ready`, and under backpressure). */
  readonly capacity: number;
  /** Event types that are never dropped (SPEC section 2). */
  readonly criticalTypes: readonly string[];
  /** Sends allowed in flight at once before live events are buffered (backpressure). */
  readonly maxInFlight: number;
  readonly handshakeTimeoutMs: number;
  readonly authTimeoutMs: number;
  readonly prepareTimeoutMs: number;
  /** 0 disables the heartbeat. */
  readonly heartbeatIntervalMs: number;
  readonly missedPongLimit: number;
  /** How long `closing` waits for the close handshake before declaring `closed`. */
  readonly closeHandshakeTimeoutMs: number;
  /** null: one frame per event. Otherwise batches of at most `size`, flushed after `flushMs`. */
  readonly batching: null | { readonly size: number; readonly flushMs: number };
}

/** Result of one reducer step. */
export interface StepResult<S> {
  readonly state: S;
  readonly effects: readonly Effect[];
}
