/**
 * A run's input as data (SPEC section 8): the fault knobs and the scenario (workload commands,
 * schedule, choices), so fast-check generates and shrinks them.
 *
 * Types only.
 */
import type { LifecycleConfig } from '../core/types.ts';
import type { Environment } from './designContract.ts';

// ---------------------------------------------------------------------------------------
// Fault model (SPEC section 8)

/**
 * Fault knobs, zero by default, units last. Probabilities are per million (integers), so no
 * decision depends on floating-point rounding.
 */
export interface FaultKnobs {
  readonly latencyMsMin: number;
  readonly latencyMsMax: number;
  /** Extra delay before the client's `websocket.connect` reaches the server (seed 001's gap). */
  readonly handshakeDelayMsMax: number;
  readonly authDelayMsMax: number;
  readonly prepareDelayMsMax: number;
  readonly peerClosePerMillion: number;
  readonly abruptDisconnectPerMillion: number;
  readonly sendFailurePerMillion: number;
  readonly authFailurePerMillion: number;
  readonly clockSkewMs: number;
  /**
   * Extra delay, up to this many ms, before the browser answers a heartbeat ping (a busy tab,
   * a congested uplink): what makes a heartbeat deadline fire. Absent means 0.
   */
  readonly pongDelayMsMax?: number;
  /**
   * Chance, per frame reaching the browser while it reads normally, that its reader stalls
   * before reading it (a busy tab, a phone switching networks). Absent means 0.
   */
  readonly readStallPerMillion?: number;
  /** Longest stall of the browser's reader, in ms (each stall lasts 1 to this many). */
  readonly readStallMsMax?: number;
  /**
   * The server transport's high-water mark, in frames written and not yet read by the
   * browser: above it, sends wait for the reader (uvicorn's drain). Absent or 0: no bound,
   * a send completes one scheduler turn after it starts.
   */
  readonly writeBufferFrames?: number;
}

// ---------------------------------------------------------------------------------------
// Scenarios: the workload and the schedule, as data (so fast-check shrinks them)

/**
 * Timing of a command tied to a connection's arrival: it runs `sinceConnectMs` after the
 * upgrade request of `anchor` (default: the command's own connection) reached the server,
 * and `atMs` is then that connection's open time. Agents and cleanup tasks act on a
 * connection the server knows, so the workload times them from its arrival.
 */
export interface SinceConnect {
  readonly sinceConnectMs?: number;
  readonly anchor?: string;
}

export type Command =
  | { readonly atMs: number; readonly kind: 'open'; readonly conn: string; readonly userId: string }
  | ({
      readonly atMs: number;
      readonly kind: 'emit';
      readonly conn: string;
      readonly eventType: string;
    } & SinceConnect)
  | ({ readonly atMs: number; readonly kind: 'broadcast'; readonly eventType: string } & SinceConnect)
  | ({
      readonly atMs: number;
      readonly kind: 'appClose';
      readonly conn: string;
      readonly code: number;
      readonly reason: string;
    } & SinceConnect)
  | { readonly atMs: number; readonly kind: 'peerClose'; readonly conn: string; readonly code: number }
  | { readonly atMs: number; readonly kind: 'abrupt'; readonly conn: string }
  | ({
      readonly atMs: number;
      readonly kind: 'clientMessage';
      readonly conn: string;
      readonly text: string;
    } & SinceConnect);

/**
 * One run's whole input. Every nondeterministic decision of the simulation (latency,
 * fault, tie-break between same-time tasks) is read from `choices` in order; once it is
 * exhausted every further choice is 0 (minimum latency, no fault, FIFO order), which is
 * what shrinking moves towards.
 */
export interface Scenario {
  readonly knobs: FaultKnobs;
  readonly environment: Environment;
  readonly commands: readonly Command[];
  readonly choices: readonly number[];
  /**
   * Seed of the choice stream once `choices` is exhausted, so faults and latencies keep
   * their rates for the whole run. Absent or null: every further choice is 0 (calm).
   */
  readonly tailSeed?: number | null;
  /** Lifecycle settings this run changes over the exploration's config (e.g. heartbeat on). */
  readonly configOverrides?: Partial<Pick<LifecycleConfig, 'heartbeatIntervalMs' | 'missedPongLimit'>>;
}
