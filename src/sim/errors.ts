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

/** The kind of each modelled class of this copy; a subclass a design writes has none. */
const kinds = new WeakMap<object, string>();

/**
 * The base of the modelled errors: `x instanceof C` holds by the prototype chain, or, when C
 * is a modelled class itself, by the kind `x` carries (made by C's namesake in another copy of
 * this module). A design's subclass of a modelled error keeps its own ordinary instanceof.
 */
abstract class ModelledError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (ordinaryInstanceOf.call(this, value)) return true;
    const own = kinds.get(this);
    return (
      own !== undefined &&
      typeof value === 'object' &&
      value !== null &&
      (value as { readonly [kind]?: unknown })[kind] === own
    );
  }
}

/**
 * Marks `modelled` and its instances with `name`: the instances on its prototype (not
 * enumerable, not an own field, so an object spread of an error does not carry it).
 */
function brand(modelled: abstract new (...args: never[]) => Error, name: string): void {
  kinds.set(modelled, name);
  Object.defineProperty(modelled.prototype, kind, { value: name });
}

/**
 * Python's `RuntimeError` as Starlette raises it on an invalid socket transition. The
 * message is Starlette's text exactly (double quotes included) so checkers can match it.
 *
 * @example
 * throw new RuntimeError('Cannot call "send" once a close message has been sent.');
 */
export class RuntimeError extends ModelledError {
  override readonly name = 'RuntimeError';
}

/**
 * Starlette's `WebSocketDisconnect(code, reason)`: the peer is gone (a received
 * `websocket.disconnect`, or a failed network write, which Starlette reports as 1006).
 */
export class WebSocketDisconnect extends ModelledError {
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
export class KeyError extends ModelledError {
  override readonly name = 'KeyError';
  readonly key: string;
  constructor(key: string) {
    super(`'${key}'`);
    this.key = key;
  }
}

/** asyncio's `TimeoutError`, raised by `SimRuntime.waitFor` when the deadline passes. */
export class TimeoutError extends ModelledError {
  override readonly name = 'TimeoutError';
}

/** asyncio's `CancelledError`, raised at the pending await of a cancelled task. */
export class CancelledError extends ModelledError {
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

brand(RuntimeError, 'RuntimeError');
brand(WebSocketDisconnect, 'WebSocketDisconnect');
brand(KeyError, 'KeyError');
brand(TimeoutError, 'TimeoutError');
brand(CancelledError, 'CancelledError');
