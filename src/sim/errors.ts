/**
 * Error classes raised by the simulated socket and runtime, named after their Python
 * counterparts so traces and design ports read like the seeds' logs.
 */

/**
 * Python's `RuntimeError` as Starlette raises it on an invalid socket transition. The
 * message is Starlette's text exactly (double quotes included) so checkers can match it.
 *
 * @example
 * throw new RuntimeError('Cannot call "send" once a close message has been sent.');
 */
export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
}

/**
 * Starlette's `WebSocketDisconnect(code, reason)`: the peer is gone (a received
 * `websocket.disconnect`, or a failed network write, which Starlette reports as 1006).
 */
export class WebSocketDisconnect extends Error {
  override readonly name = 'WebSocketDisconnect';
  readonly code: number;
  readonly reason: string;
  constructor(code = 1000, reason = '') {
    super(`WebSocketDisconnect(${code}${reason === '' ? '' : `, ${reason}`})`);
    this.code = code;
    this.reason = reason;
  }
}

/**
 * Python's `KeyError(key)`, as Starlette's `receive_text` raises it on a binary frame
 * (`message["text"]`). The message is `str(KeyError('text'))`: the key's repr.
 *
 * @example
 * new KeyError('text').message; // "'text'"
 */
export class KeyError extends Error {
  override readonly name = 'KeyError';
  readonly key: string;
  constructor(key: string) {
    super(`'${key}'`);
    this.key = key;
  }
}

/** asyncio's `TimeoutError`, raised by `SimRuntime.waitFor` when the deadline passes. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** asyncio's `CancelledError`, raised at the pending await of a cancelled task. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
}

/** The trace's `errorKind` for a thrown value: pure. */
export function errorKindOf(
  error: unknown,
): 'RuntimeError' | 'WebSocketDisconnect' | 'TimeoutError' | 'Error' {
  if (error instanceof RuntimeError) return 'RuntimeError';
  if (error instanceof WebSocketDisconnect) return 'WebSocketDisconnect';
  if (error instanceof TimeoutError) return 'TimeoutError';
  return 'Error';
}

/**
 * True for the exceptions the simulation models (Starlette's and asyncio's): a design that
 * lets one escape behaves as its Python would. Anything else a design throws (a TypeError,
 * a plain Error) is a design error. Pure.
 */
export function isModelledError(error: unknown): boolean {
  return (
    error instanceof RuntimeError ||
    error instanceof WebSocketDisconnect ||
    error instanceof TimeoutError ||
    error instanceof CancelledError
  );
}

/** The class name of a thrown value (`TypeError`), or its type when not an Error: pure. */
export function errorNameOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** The message of a thrown value, for the trace: pure. */
export function errorMessageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
