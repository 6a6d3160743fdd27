/**
 * What `runScenario` needs from a driver, whichever kind of design it runs.
 */
import type { SimConnection } from './server.ts';

/** A driver turns workload commands into design calls and reports how the run ended. */
export interface Driver {
  /** Builds the design's server (handler designs) before the first command. */
  start(): void;
  /** A connection was opened by the workload. */
  open(connection: SimConnection): void;
  /** An agent emits an event of `eventType` to `conn`. */
  emit(conn: string, eventType: string): void;
  /** A cleanup task asks the design to close `conn`. */
  appClose(conn: string, code: number, reason: string): void;
  /** An agent broadcasts one event to every connection. */
  broadcast(eventType: string): void;
  /** The settled phase of every connection, by id, at the end of the run. */
  phases(): Record<string, string>;
  /** Reasons the run did not settle besides phases (an emit that never returned...). */
  pending(): string[];
  /** Times each design code path was reached (`DesignProbe.reach`), or null when none is declared or reached. */
  reached?(): Record<string, number> | null;
}
