/**
 * The lifecycle state: a discriminated union on `phase`, each member carrying only the
 * fields valid in that phase; plus `defaultConfig` and `initial()`.
 */
import { ConfigError } from './configError.ts';
import { emptyBuffer, type EventBuffer } from './buffer.ts';
import type { Sequencer } from './sequencer.ts';
import type { AgentEvent, LifecycleConfig, TimerName } from './types.ts';

/** A send effect not yet answered by `sendCompleted` / `sendFailed` (sends complete FIFO). */
export type InFlight =
  | { readonly kind: 'data'; readonly events: readonly { readonly seq: number; readonly eventId: string }[] }
  | { readonly kind: 'ping'; readonly nonce: number };

interface Common {
  readonly config: LifecycleConfig;
}

/** Fields of every phase before `closed` that may hold timers. */
interface Live extends Common {
  /** Timers set and neither cancelled nor fired yet. */
  readonly timers: readonly TimerName[];
}

/** Waiting for the client's `websocket.connect`. Events emitted now are buffered. */
export interface ConnectingState extends Common {
  readonly phase: 'connecting';
  readonly buffer: EventBuffer;
}
/** `accept` asked for; waiting for `acceptCompleted` under the handshake deadline. */
export interface AcceptingState extends Live {
  readonly phase: 'accepting';
  readonly buffer: EventBuffer;
}
/** Accepted; waiting for the auth result under the auth deadline. */
export interface AuthenticatingState extends Live {
  readonly phase: 'authenticating';
  readonly buffer: EventBuffer;
}
/** Authenticated; waiting for services under the prepare deadline. */
export interface PreparingState extends Live {
  readonly phase: 'preparing';
  readonly userId: string;
  readonly buffer: EventBuffer;
}
/** Delivering: events go out in order with seq; the buffer holds them under backpressure. */
export interface ReadyState extends Live {
  readonly phase: 'ready';
  readonly userId: string;
  readonly buffer: EventBuffer;
  /** Events of the open batch (batching only), not yet numbered; null when batching is off. */
  readonly batch: readonly AgentEvent[] | null;
  readonly inFlight: readonly InFlight[];
  /** Data sends in flight (pings excluded): the number compared with `maxInFlight`. */
  readonly dataInFlight: number;
  readonly sequencer: Sequencer;
  /** Last ping nonce sent (0: none yet) and pings sent since the last pong. */
  readonly heartbeat: { readonly nonce: number; readonly missed: number };
}
/** A close frame was asked for; in-flight sends may still complete. Nothing new is sent. */
export interface ClosingState extends Live {
  readonly phase: 'closing';
  readonly inFlight: readonly InFlight[];
  readonly sequencer: Sequencer;
}
/** Terminal. No timers, no buffer, nothing in flight: only the config and how many seqs were used. */
export interface ClosedState extends Common {
  readonly phase: 'closed';
  readonly sequencer: Sequencer;
}

/** The state of one connection's lifecycle. */
export type State =
  | ConnectingState
  | AcceptingState
  | AuthenticatingState
  | PreparingState
  | ReadyState
  | ClosingState
  | ClosedState;

/** The four critical event types of SPEC section 2. */
export const criticalEventTypes: readonly string[] = [
  'agent_started',
  'tool_executing',
  'tool_completed',
  'agent_completed',
];

/** Default configuration: buffer of 8, 4 sends in flight, seed-like deadlines, no heartbeat, no batching. */
export const defaultConfig: LifecycleConfig = {
  capacity: 8,
  criticalTypes: criticalEventTypes,
  maxInFlight: 4,
  handshakeTimeoutMs: 5000,
  authTimeoutMs: 3000,
  prepareTimeoutMs: 3000,
  heartbeatIntervalMs: 0,
  missedPongLimit: 2,
  closeHandshakeTimeoutMs: 1000,
  batching: null,
};

/**
 * The state of a new connection (phase `connecting`), after validating `config`. Pure.
 *
 * Typed as `State`, not `ConnectingState`, so that `let s = initial(config)` can take every
 * later state: `s = step(s, input).state` compiles. Narrow on `s.phase` for a phase's fields.
 *
 * A timeout of 0 disables that deadline (no timer is set), as `heartbeatIntervalMs: 0`
 * disables the heartbeat.
 *
 * @throws ConfigError naming the first invalid field.
 * @example const s = initial(defaultConfig); // s.phase === 'connecting'
 */
export function initial(config: LifecycleConfig): State {
  validateConfig(config);
  return { phase: 'connecting', config, buffer: emptyBuffer() };
}

function validateConfig(config: LifecycleConfig): void {
  if (typeof config !== 'object' || config === null) throw new ConfigError('config', 'must be an object');
  positiveInteger('capacity', config.capacity);
  positiveInteger('maxInFlight', config.maxInFlight);
  positiveInteger('missedPongLimit', config.missedPongLimit);
  if (!Array.isArray(config.criticalTypes) || !config.criticalTypes.every((t) => typeof t === 'string')) {
    throw new ConfigError('criticalTypes', 'must be an array of event type strings, e.g. ["agent_started"]');
  }
  for (const field of [
    'handshakeTimeoutMs',
    'authTimeoutMs',
    'prepareTimeoutMs',
    'heartbeatIntervalMs',
    'closeHandshakeTimeoutMs',
  ] as const) {
    nonNegativeMs(field, config[field]);
  }
  if (config.batching !== null) {
    if (typeof config.batching !== 'object') {
      throw new ConfigError('batching', 'must be null or { size, flushMs }');
    }
    positiveInteger('batching.size', config.batching.size);
    nonNegativeMs('batching.flushMs', config.batching.flushMs);
  }
}

function positiveInteger(field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError(field, `must be an integer >= 1, got ${String(value)}`);
  }
}

function nonNegativeMs(field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigError(
      field,
      `must be a finite number of milliseconds >= 0 (0 disables), got ${String(value)}`,
    );
  }
}

/**
 * The phase of a state. Pure.
 *
 * @example phaseOf(initial(defaultConfig)) // 'connecting'
 */
export function phaseOf(state: State): State['phase'] {
  return state.phase;
}

/**
 * Events held in the buffer (what P9 bounds by `capacity`); 0 in closing and closed.
 * O(1). An open batch is not counted: it is bounded by `batching.size` instead.
 *
 * @example bufferedCount(initial(defaultConfig)) // 0
 */
export function bufferedCount(state: State): number {
  return 'buffer' in state ? state.buffer.items.length : 0;
}
