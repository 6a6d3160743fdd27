/**
 * The limits that keep a lifecycle server bounded whatever its clients do: the largest
 * message it reads, how many sockets it holds, how long a socket may take to finish its
 * upgrade request, and how long `close()` waits before cutting what remains.
 */
import { ConfigError } from '../../core/configError.ts';

/** The limits a server runs with, every one resolved to a number. */
export interface ServerLimits {
  /** Largest client message in bytes; a longer one closes the connection with 1009. */
  readonly maxPayload: number;
  /** Sockets held at once (upgraded or not); more are refused. */
  readonly maxConnections: number;
  /** A TCP connection that has not completed its upgrade request by then is destroyed. */
  readonly upgradeTimeoutMs: number;
  /** How long `close()` waits for close handshakes before terminating what remains. */
  readonly closeTimeoutMs: number;
}

/** The defaults: 64 KiB messages, 10,000 sockets, 10 s to upgrade, 5 s to close. */
export const defaultLimits: ServerLimits = {
  maxPayload: 64 * 1024,
  maxConnections: 10_000,
  upgradeTimeoutMs: 10_000,
  closeTimeoutMs: 5_000,
};

/**
 * The limits the options ask for, defaults filled in. Pure; throws `ConfigError` naming the
 * field when a value is not a positive integer.
 *
 * @example serverLimitsOf({ maxPayload: 1024 }).closeTimeoutMs // 5000
 */
export function serverLimitsOf(options: Partial<ServerLimits>): ServerLimits {
  const limits: ServerLimits = {
    maxPayload: options.maxPayload ?? defaultLimits.maxPayload,
    maxConnections: options.maxConnections ?? defaultLimits.maxConnections,
    upgradeTimeoutMs: options.upgradeTimeoutMs ?? defaultLimits.upgradeTimeoutMs,
    closeTimeoutMs: options.closeTimeoutMs ?? defaultLimits.closeTimeoutMs,
  };
  for (const [field, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new ConfigError(field, `must be a positive integer, got ${String(value)}`);
  }
  return limits;
}
