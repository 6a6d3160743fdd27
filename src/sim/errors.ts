/**
 * Error classes raised by the simulated socket and runtime, named after their Python
 * counterparts so traces and design ports read like the seeds' logs.
 *
 * `instanceof` on them holds across copies of this module. A design module may load another
 * copy than the harness runs: the compiled command (dist/) loading a design that imports
 * these sources, or two installed versions. Each class marks its prototype with its kind under a
 * registry symbol, and each class answers `instanceof` for the kind as well as for its own
 * prototype chain; without that, a design's `catch (e) { if (e instanceof TimeoutError) ...}`
 * never matched the harness's errors and a correct design was judged broken.
 */

/** Registry key of the kind a modelled error carries (on its prototype): the same in every copy. */
const kind: unique symbol = Symbol.for('ws-lifecycle.modelled-error');

const ordinaryInstanceOf = Function.prototype[Symbol.hasInstance];

/**
 * Marks the instances of `modelled` with its kind, on its prototype (not enumerable, not an
 * own field, so an object spread of an error does not carry it).
 */
function brand(modelled: abstract new (...args: never[]) => Error, name: string): void {
  Object.defineProperty(modelled.prototype, kind, { value: name });
}

/**
 * Whether `value` is an instance of `asked` (an `instanceof` on a modelled class or a
 * subclass of one): by its prototype chain, or, when `asked` is the modelled class itself,
 * by the kind the instance carries (made by this class in another copy of the module). Pure.
 */
function isInstance(asked: unknown, modelled: unknown, name: string, value: unknown): boolean {
  if (ordinaryInstanceOf.call(asked, value)) return true;
  return (
    asked === modelled &&
    typeof value === 'object' &&
    value !== null &&
    (value as { readonly [kind]?: unknown })[kind] === name
  );
}

/**
 * Python's `RuntimeError` as Starlette raises it on an invalid socket transition. The
 * message is Starlette's text exactly (double quotes included) so checkers can match it.
 *
 * @example
 * throw new RuntimeError('Cannot call "send" once a close message has been sent.');
 */
export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, RuntimeError, 'RuntimeError', value);
  }
}

/**
 * Starlette's `WebSocketDisconnect(code, reason)`: the peer is gone (a received
 * `websocket.disconnect`, or a failed network write, which Starlette reports as 1006).
 */
export class WebSocketDisconnect extends Error {
  override readonly name = 'WebSocketDisconnect';
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, WebSocketDisconnect, 'WebSocketDisconnect', value);
  }
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
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, KeyError, 'KeyError', value);
  }
  readonly key: string;
  constructor(key: string) {
    super(`'${key}'`);
    this.key = key;
  }
}

/** asyncio's `TimeoutError`, raised by `SimRuntime.waitFor` when the deadline passes. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, TimeoutError, 'TimeoutError', value);
  }
}

/** asyncio's `CancelledError`, raised at the pending await of a cancelled task. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, CancelledError, 'CancelledError', value);
  }
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

brand(RuntimeError, 'RuntimeError');
brand(WebSocketDisconnect, 'WebSocketDisconnect');
brand(KeyError, 'KeyError');
brand(TimeoutError, 'TimeoutError');
brand(CancelledError, 'CancelledError');
