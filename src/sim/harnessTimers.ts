/**
 * Which timers of a run are the harness's own (SPEC section 8: harness timers are never
 * charged to a design) and which are the design's. A timer's name says who armed it:
 *
 * - the harness's: `net:<conn>:up` / `net:<conn>:down` (a frame in flight on a network pipe),
 *   `write:<conn>` (the transport completing a socket write), `reader:<conn>` (a stalled
 *   browser reader resuming), `command:<kind>` (the workload), `harness:heal` and
 *   `harness:end`;
 * - the design's: `core:<conn>:<timer>` (a reducer design's timers), and a handler design's
 *   runtime timers: `sleep`, `wait_for`, `task:<name>`, `call_soon`.
 */

/** Name prefixes of the transport's timers: a frame on its way, a write completing, a reader resuming. */
const transportPrefixes: readonly string[] = ['net:', 'write:', 'reader:'];

/** Name prefixes of the harness's own timers: the transport's, the workload's and its own marks. */
const harnessPrefixes: readonly string[] = [...transportPrefixes, 'command:', 'harness:'];

/**
 * Whether the timer named `name` is the harness's own, never a design's. Pure.
 *
 * @example
 * isHarnessTimer('net:c1:down'); // true
 * isHarnessTimer('core:c1:heartbeat'); // false
 */
export function isHarnessTimer(name: string): boolean {
  return harnessPrefixes.some((prefix) => name.startsWith(prefix));
}

/**
 * Whether the timer named `name` moves bytes between the server transport and the browser:
 * a frame in flight on a pipe or a write completing. Pure.
 *
 * @example
 * isTransportTimer('write:c2'); // true
 * isTransportTimer('command:emit'); // false
 */
export function isTransportTimer(name: string): boolean {
  return transportPrefixes.some((prefix) => name.startsWith(prefix));
}
