/**
 * The trace (SPEC section 11, docs/trace.md): what a run or a recording shows, the one
 * interface between the simulation (or a real server's recorder) and the checkers.
 *
 * Types only.
 */
import type { JsonValue, LifecycleConfig } from '../core/types.ts';

/** Starlette's `WebSocketState`. */
export type WebSocketState = 'CONNECTING' | 'CONNECTED' | 'DISCONNECTED' | 'RESPONSE';

/** An ASGI message between app and server, as Starlette sees it. */
export type AsgiMessage =
  | { readonly type: 'websocket.connect' }
  | { readonly type: 'websocket.receive'; readonly text?: string; readonly bytes?: readonly number[] }
  | { readonly type: 'websocket.disconnect'; readonly code: number; readonly reason?: string }
  | {
      readonly type: 'websocket.accept';
      readonly subprotocol?: string | null;
      readonly headers?: readonly (readonly [string, string])[];
    }
  | { readonly type: 'websocket.send'; readonly text?: string; readonly bytes?: readonly number[] }
  | { readonly type: 'websocket.close'; readonly code: number; readonly reason?: string }
  | { readonly type: 'websocket.http.response.start'; readonly status: number }
  | { readonly type: 'websocket.http.response.body'; readonly body?: string; readonly more_body?: boolean };

/** The fixed fault profiles (SPEC section 8): a recorded trace is judged under one. */
export type ProfileName = 'ideal' | 'lan' | 'cloud-run' | 'hostile';

// ---------------------------------------------------------------------------------------
// Trace (SPEC section 11): plain JSON, byte-identical for the same input

export type Actor = 'app' | 'client' | 'net' | 'workload' | 'design' | 'harness';

export interface SocketStates {
  readonly client: WebSocketState;
  readonly app: WebSocketState;
}

/**
 * The read view of an entry: every field any kind has, optional, `action` any string and
 * `detail` any JSON object. Every `TraceEntry` is one; so is an entry of a trace file, whose
 * reader accepts kinds it does not know (docs/trace.md, "Trace files").
 */
export interface TraceRecord {
  readonly i: number;
  readonly t: number;
  readonly conn: string | null;
  readonly actor: Actor;
  readonly action: string;
  readonly before?: SocketStates;
  readonly after?: SocketStates;
  /** ASGI message type for socket calls. */
  readonly message?: AsgiMessage['type'];
  /** Decoded data frame (events carry their `id`) or close frame. */
  readonly frame?: JsonValue;
  readonly error?: string;
  /** The kind of what was raised; a recorder keeps any other exception's class in `detail.exception`. */
  readonly errorKind?: 'RuntimeError' | 'WebSocketDisconnect' | 'TimeoutError' | 'Error';
  /** The design's phase after this step, when the design exposes one. */
  readonly phase?: string;
  readonly detail?: { readonly [k: string]: JsonValue };
}

/**
 * One observable step of a run, as the union of its kinds (trace/entry.ts): what writers
 * write and what readers narrow on `actor` and `action`. A trace read from a file may hold
 * kinds the union does not know, so a run's trace is `TraceRecord`s.
 */
export type { TraceEntry } from './entry.ts';

/** What a run returns. */
export interface RunResult {
  readonly design: string;
  readonly trace: readonly TraceRecord[];
  readonly userOf: Readonly<Record<string, string>>;
  readonly config: LifecycleConfig;
  /**
   * Times each code path was reached (`DesignProbe.reach`): every declared path, 0 when
   * missed, and any undeclared name reached. Absent when the design declares no paths and
   * reached none. Not part of the trace, so it never changes a trace's bytes.
   */
  readonly reached?: Readonly<Record<string, number>>;
}
