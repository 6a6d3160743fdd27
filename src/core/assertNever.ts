/**
 * Exhaustiveness guard for switches over unions.
 *
 * Call it in the `default` branch: if a union member is not handled, the call does not
 * compile because `x` is not `never`. At run time it throws, which only happens when a
 * caller bypassed the types (e.g. a hand-written JSON input).
 *
 * @returns never; always throws.
 * @example
 * switch (input.type) {
 *   case 'connect': return 1;
 *   default: return assertNever(input);
 * }
 */
export function assertNever(x: never): never {
  throw new Error(`unhandled union member: ${JSON.stringify(x)}`);
}
