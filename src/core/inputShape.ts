/**
 * The run-time shape check of an input: what `step` does with an input the types would
 * have refused (a caller in plain JavaScript, an input parsed from JSON).
 */
import type { Input } from './types.ts';

/** The `type` of every input the core knows, with a check of that input's fields. */
const fieldChecks: { readonly [T in Input['type']]: (input: Record<string, unknown>) => string | undefined } =
  {
    connect: () => undefined,
    acceptCompleted: () => undefined,
    authSucceeded: (i) => stringField(i, 'userId'),
    authFailed: () => undefined,
    servicesReady: () => undefined,
    // An emit's event is checked by the emit itself: a bad one gets refused(invalid) as its outcome.
    emit: () => undefined,
    sendCompleted: () => undefined,
    sendFailed: () => undefined,
    appClose: (i) => numberField(i, 'code') ?? stringField(i, 'reason'),
    peerClose: () => undefined,
    closeCompleted: () => undefined,
    transportError: () => undefined,
    timerFired: (i) => stringField(i, 'name'),
    pong: (i) => numberField(i, 'nonce'),
  };

/** The input types the core knows, in the order of the `Input` union. */
export const inputTypes: readonly Input['type'][] = Object.keys(fieldChecks) as Input['type'][];

function stringField(input: Record<string, unknown>, field: string): string | undefined {
  const v = input[field];
  return typeof v === 'string'
    ? undefined
    : `${String(input['type'])}.${field} must be a string, got ${describe(v)}`;
}

function numberField(input: Record<string, unknown>, field: string): string | undefined {
  const v = input[field];
  return typeof v === 'number'
    ? undefined
    : `${String(input['type'])}.${field} must be a number, got ${describe(v)}`;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'object') return Array.isArray(v) ? 'an array' : 'an object';
  return typeof v === 'function' ? 'a function' : `${typeof v} ${String(v)}`;
}

/** What is wrong with an input: the `rejected` effect's `input` and `reason`. */
export interface MalformedInput {
  /** The input's type, or 'unknown' when it is not one of `inputTypes`. */
  readonly input: Input['type'] | 'unknown';
  readonly reason: string;
}

/**
 * Why `input` is not an `Input` the core can act on, or `undefined` when it is one. Pure.
 *
 * Checked: an object whose `type` is one of `inputTypes`, with the fields that input's case
 * reads typed as declared. A malformed emit's event is left to the emit, which refuses it.
 *
 * @example
 * malformedInput({ type: 'connect' }); // undefined
 * malformedInput({ type: 'bogus' }); // { input: 'unknown', reason: 'unknown input type "bogus" (known: connect, ...)' }
 */
export function malformedInput(input: unknown): MalformedInput | undefined {
  if (typeof input !== 'object' || input === null) {
    return { input: 'unknown', reason: `an input must be an object with a type, got ${describe(input)}` };
  }
  const fields = input as Record<string, unknown>;
  const type = fields['type'];
  if (typeof type !== 'string' || !Object.hasOwn(fieldChecks, type)) {
    return {
      input: 'unknown',
      reason: `unknown input type ${describe(type)} (known: ${inputTypes.join(', ')})`,
    };
  }
  const known = type as Input['type'];
  const reason = fieldChecks[known](fields);
  return reason === undefined ? undefined : { input: known, reason };
}
