/**
 * The multi-connection server: the registry of simulated connections (conn id to user,
 * socket and browser) and the per-user routing of events.
 */
import type { AgentEvent, JsonValue, LifecycleConfig } from '../core/types.ts';
import { SimClient } from './client.ts';
import type { SimContext } from './context.ts';
import { StarletteSocket } from './socket.ts';
import type { ServerConnection } from './types.ts';

/** One simulated connection: what the design sees plus the browser behind it. */
export interface SimConnection extends ServerConnection {
  readonly socket: StarletteSocket;
  readonly client: SimClient;
  /** Whether the last authentication of this connection succeeded. */
  authOk: boolean;
  /** Whether its upgrade request reached the server, so the app runs for it. */
  arrived: boolean;
}

/**
 * Connections by id, in opening order, and the event factory that stamps each event with
 * its target user so isolation (P12) can be judged from the wire.
 *
 * @example
 * const server = new SimServer(context, config);
 * server.open('c1', 'u1'); // writes workload/open and starts the browser's handshake
 */
export class SimServer {
  readonly connections = new Map<string, SimConnection>();
  private readonly context: SimContext;
  private readonly config: LifecycleConfig;
  private nextEvent = 1;

  constructor(context: SimContext, config: LifecycleConfig) {
    this.context = context;
    this.config = config;
  }

  /** Opens a connection (a second open of the same id is ignored and logged). */
  open(conn: string, userId: string): SimConnection | null {
    if (this.connections.has(conn)) {
      this.context.trace.write({
        conn,
        actor: 'harness',
        action: 'log',
        detail: { level: 'warning', message: `open ignored: ${conn} is already open` },
      });
      return null;
    }
    this.context.trace.write({ conn, actor: 'workload', action: 'open', detail: { userId } });
    const client = new SimClient(this.context, conn);
    const socket = new StarletteSocket(this.context, conn, client);
    const connection: SimConnection = { id: conn, userId, socket, client, authOk: false, arrived: false };
    this.connections.set(conn, connection);
    client.open();
    return connection;
  }

  /** A new event for `conn` (ids e1, e2, ... per run), payload `{eventId, user}`. */
  event(conn: string | null, eventType: string): AgentEvent {
    const id = `e${this.nextEvent}`;
    this.nextEvent += 1;
    const user: JsonValue = conn === null ? null : (this.connections.get(conn)?.userId ?? null);
    return { id, type: eventType, payload: { eventId: id, user } };
  }

  /** Whether an event type is critical under the run's config. */
  isCritical(eventType: string): boolean {
    return this.config.criticalTypes.includes(eventType);
  }

  /** `userOf` for the run result. */
  userOf(): Record<string, string> {
    const users: Record<string, string> = {};
    for (const [id, connection] of this.connections) users[id] = connection.userId;
    return users;
  }
}
