/**
 * Drives a `ReducerDesign` (the reference core, or any pure `step`): feeds it inputs and
 * executes its effects against the simulated socket, services and clock. Socket
 * operations of one connection run in effect order through a serial mailbox; timer,
 * outcome and rejection effects apply at once.
 */
import type { LifecycleConfig } from '../core/types.ts';
import type { SimContext } from './context.ts';
import type { Driver } from './driver.ts';
import { ReducerConnection } from './reducerConnection.ts';
import type { SimConnection, SimServer } from './server.ts';
import type { ReducerDesign, SimServices } from './types.ts';

/**
 * Runs a reducer design: one state per connection, effects executed by the simulation.
 *
 * @example
 * const driver = new ReducerDriver(context, server, reference, services, defaultConfig);
 */
export class ReducerDriver implements Driver {
  private readonly connections = new Map<string, ReducerConnection>();

  constructor(
    private readonly context: SimContext,
    private readonly server: SimServer,
    private readonly design: ReducerDesign<unknown>,
    private readonly services: SimServices,
    private readonly config: LifecycleConfig,
  ) {}

  start(): void {}

  open(connection: SimConnection): void {
    const machine = new ReducerConnection(this.context, this.design, this.services, this.config, connection);
    this.connections.set(connection.id, machine);
    machine.input({ type: 'connect' });
  }

  emit(conn: string, eventType: string): void {
    const event = this.server.event(conn, eventType);
    this.emitEvent(conn, event.id, eventType, event);
  }

  private emitEvent(
    conn: string,
    eventId: string,
    eventType: string,
    event: ReturnType<SimServer['event']>,
  ): void {
    const critical = this.server.isCritical(eventType);
    const { trace } = this.context;
    trace.write({ conn, actor: 'workload', action: 'emit', detail: { eventId, type: eventType, critical } });
    const machine = this.connections.get(conn);
    if (machine === undefined) {
      // No connection to take it: still exactly one outcome, so nothing is lost silently.
      trace.write({
        conn,
        actor: 'design',
        action: 'outcome',
        detail: { eventId, outcome: { kind: 'refused', reason: 'closed' } },
      });
      return;
    }
    machine.input({ type: 'emit', event });
  }

  appClose(conn: string, code: number, reason: string): void {
    this.context.trace.write({ conn, actor: 'workload', action: 'appClose', detail: { code, reason } });
    this.connections.get(conn)?.input({ type: 'appClose', code, reason });
  }

  broadcast(eventType: string): void {
    const template = this.server.event(null, eventType);
    const critical = this.server.isCritical(eventType);
    this.context.trace.write({
      conn: null,
      actor: 'workload',
      action: 'broadcast',
      detail: { eventId: template.id, type: eventType, critical },
    });
    // One emit per open connection, each with its own id, so each has its own outcome (P7).
    for (const [conn, machine] of this.connections) {
      if (machine.currentPhase() === 'closing' || machine.currentPhase() === 'closed') continue;
      const eventId = `${template.id}.${conn}`;
      const event = { id: eventId, type: eventType, payload: { eventId, user: machine.connection.userId } };
      this.emitEvent(conn, eventId, eventType, event);
    }
  }

  phases(): Record<string, string> {
    const phases: Record<string, string> = {};
    for (const [conn, machine] of this.connections) phases[conn] = machine.currentPhase();
    return phases;
  }

  pending(): string[] {
    return [];
  }
}
