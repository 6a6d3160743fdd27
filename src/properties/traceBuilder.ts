/**
 * `TraceBuilder`: a tiny typed builder of synthetic traces for the checkers' tests (and for
 * anyone who wants to show a checker a hand-made situation). Not used at run time.
 */
import { defaultConfig } from '../core/index.ts';
import type { JsonValue, Outcome, Phase } from '../core/types.ts';
import type { CheckContext } from './propertyTypes.ts';
import type { TraceEntry } from '../trace/entry.ts';
import type { Actor, RunResult, SocketStates, TraceRecord, WebSocketState } from '../trace/types.ts';

/** The actions of `actor`'s entry kinds. */
type ActionOf<A extends Actor> = Extract<TraceEntry, { actor: A }>['action'];
/** The fields of an `actor/action` entry beyond `i`, `t`, `conn`, `actor` and `action`, exactly. */
type FieldsOf<A extends Actor, N extends string> = Omit<
  Extract<TraceEntry, { actor: A; action: N }>,
  'i' | 't' | 'conn' | 'actor' | 'action'
>;
/** The fields argument of `entry`: optional when the kind requires none. */
type FieldsArg<A extends Actor, N extends string> =
  Record<string, never> extends FieldsOf<A, N> ? [fields?: FieldsOf<A, N>] : [fields: FieldsOf<A, N>];

const criticalTypes = new Set(defaultConfig.criticalTypes);

function states(client: WebSocketState, app: WebSocketState): SocketStates {
  return { client, app };
}

/**
 * Writes trace entries the way the simulation does (docs/trace.md); every method returns the
 * index `i` of the entry it wrote, so tests can assert the offending step. `at(t)` sets the
 * simulated time of the next entries. Not pure: it accumulates entries.
 *
 * @example
 * const b = new TraceBuilder();
 * b.open('c1', 'u1'); b.accept('c1');
 * const sent = b.at(5).send('c1', { eventId: 'e1' });
 * const run = b.run();
 */
export class TraceBuilder {
  private readonly entries: TraceRecord[] = [];
  private readonly users: Record<string, string> = {};
  private now = 0;

  /** Sets the simulated time (ms) of the entries written next. */
  at(t: number): this {
    this.now = t;
    return this;
  }

  /**
   * Any entry of a kind of the `TraceEntry` union, its fields type-checked against that
   * kind's (trace/traceKinds.ts); the named helpers below cover the usual ones.
   */
  entry<A extends Actor, N extends ActionOf<A>>(
    conn: string | null,
    actor: A,
    action: N,
    ...[fields]: FieldsArg<A, N>
  ): number {
    return this.other(conn, actor, action, fields ?? {});
  }

  /**
   * An entry of any `action`, fields unchecked: one of a kind the union does not know, as a
   * trace file may hold (src/properties/knownEntry.ts).
   */
  other(
    conn: string | null,
    actor: Actor,
    action: string,
    fields: Partial<Omit<TraceRecord, 'i' | 't' | 'conn' | 'actor' | 'action'>> = {},
  ): number {
    const i = this.entries.length;
    this.entries.push({ i, t: this.now, conn, actor, action, ...fields });
    return i;
  }

  open(conn: string, userId: string): number {
    this.users[conn] = userId;
    return this.entry(conn, 'workload', 'open', { detail: { userId } });
  }

  /** `app/accept` that completed (CONNECTING -> CONNECTED), or raised `error`. */
  accept(conn: string, error?: string): number {
    const after = error === undefined ? states('CONNECTED', 'CONNECTED') : states('CONNECTED', 'CONNECTING');
    return this.entry(conn, 'app', 'accept', {
      message: 'websocket.accept',
      before: states('CONNECTED', 'CONNECTING'),
      after,
      ...raised(error),
    });
  }

  /** `app/send` of a data frame, called with the application state `app`. */
  send(conn: string, frame: JsonValue, app: WebSocketState = 'CONNECTED', error?: string): number {
    const after = app === 'CONNECTED' ? 'CONNECTED' : app;
    return this.entry(conn, 'app', 'send', {
      message: 'websocket.send',
      before: states('CONNECTED', app),
      after: states('CONNECTED', after),
      frame,
      ...raised(error),
    });
  }

  /** `app/close` with a close frame `{code, reason}`. */
  close(conn: string, code = 1000, reason = '', error?: string): number {
    return this.entry(conn, 'app', 'close', {
      message: 'websocket.close',
      before: states('CONNECTED', 'CONNECTED'),
      after: states('CONNECTED', 'DISCONNECTED'),
      frame: { code, reason },
      ...raised(error),
    });
  }

  /** `app/receive` called with the application state `app`. */
  receive(conn: string, app: WebSocketState = 'CONNECTED', error?: string): number {
    return this.entry(conn, 'app', 'receive', { before: states('CONNECTED', app), ...raised(error) });
  }

  /** `app/received` of `websocket.disconnect` (the peer closed). */
  receivedDisconnect(conn: string): number {
    return this.entry(conn, 'app', 'received', {
      message: 'websocket.disconnect',
      after: states('DISCONNECTED', 'CONNECTED'),
    });
  }

  /** `net/wire` of a data frame. */
  wire(conn: string, frame: JsonValue): number {
    return this.entry(conn, 'net', 'wire', { message: 'websocket.send', frame });
  }

  /** `net/wire` of a close frame. */
  wireClose(conn: string, code = 1000, reason = ''): number {
    return this.entry(conn, 'net', 'wire', { message: 'websocket.close', frame: { code, reason } });
  }

  /** `app/send` then `net/wire` of the reference frame for one event with `seq`. */
  deliver(conn: string, eventId: string, seq?: number): number {
    const frame = eventFrame(eventId, seq);
    this.send(conn, frame);
    return this.wire(conn, frame);
  }

  clientClose(conn: string, code = 1000): number {
    return this.entry(conn, 'client', 'close', { detail: { code } });
  }

  /** `workload/emit`; critical follows the default critical types when not given. */
  emit(conn: string, eventId: string, type = 'agent_thinking', critical = criticalTypes.has(type)): number {
    return this.entry(conn, 'workload', 'emit', { detail: { eventId, type, critical } });
  }

  emitReturned(conn: string, eventId: string, result: 'true' | 'false' | 'threw'): number {
    return this.entry(conn, 'workload', 'emitReturned', { detail: { eventId, result } });
  }

  broadcast(eventId: string, type = 'agent_thinking', critical = criticalTypes.has(type)): number {
    return this.entry(null, 'workload', 'broadcast', { detail: { eventId, type, critical } });
  }

  appClose(conn: string, code = 1000, reason = ''): number {
    return this.entry(conn, 'workload', 'appClose', { detail: { code, reason } });
  }

  /** `workload/closeCalled`: a handler design's `close()` starts for an earlier request. */
  closeCalled(conn: string, code = 1000, reason = ''): number {
    return this.entry(conn, 'workload', 'closeCalled', { detail: { code, reason } });
  }

  auth(conn: string, ok = true): number {
    return this.entry(conn, 'design', 'auth', { detail: { ok } });
  }

  phase(conn: string, from: string, to: string, applied = true, machine = 'core'): number {
    return this.entry(conn, 'design', 'phase', {
      detail: { machine, from, to, applied },
      phase: applied ? to : from,
    });
  }

  buffer(conn: string, size: number, capacity = defaultConfig.capacity): number {
    return this.entry(conn, 'design', 'buffer', { detail: { size, capacity } });
  }

  outcome(conn: string, eventId: string, outcome: Outcome): number {
    return this.entry(conn, 'design', 'outcome', { detail: { eventId, outcome: { ...outcome } } });
  }

  settled(phases: Record<string, string>): number {
    return this.entry(null, 'harness', 'settled', { detail: { phases } });
  }

  unsettled(reason: string): number {
    return this.entry(null, 'harness', 'unsettled', { detail: { reason } });
  }

  timersPending(names: string[]): number {
    return this.entry(null, 'harness', 'timersPending', { detail: { count: names.length, names } });
  }

  /**
   * The usual happy opening of a connection: open, accept, auth ok, phases up to ready.
   * Returns the index of the last entry written.
   */
  ready(conn: string, userId: string): number {
    this.open(conn, userId);
    this.phase(conn, 'connecting', 'accepting');
    this.accept(conn);
    this.phase(conn, 'accepting', 'authenticating');
    this.auth(conn);
    this.phase(conn, 'authenticating', 'preparing');
    return this.phase(conn, 'preparing', 'ready');
  }

  /** The run so far, as `runScenario` would return it. */
  run(design = 'synthetic'): RunResult {
    return { design, trace: [...this.entries], userOf: { ...this.users }, config: defaultConfig };
  }
}

/** The reference design's frame for one event (`seq` omitted: a seed design's plain frame). */
export function eventFrame(eventId: string, seq?: number): JsonValue {
  const event = { id: eventId, type: 'agent_thinking', payload: { eventId } };
  return seq === undefined ? { type: 'event', data: { eventId } } : { kind: 'event', seq, event };
}

function raised(error: string | undefined): { error?: string; errorKind?: 'RuntimeError' } {
  return error === undefined ? {} : { error, errorKind: 'RuntimeError' };
}

/** A check context for a reducer design on profile `ideal` (override what a test needs). */
export function contextFor(
  kind: 'reducer' | 'handler' = 'reducer',
  overrides: { profile?: CheckContext['profile']; phaseAliases?: Readonly<Record<string, Phase>> } = {},
): CheckContext {
  const design =
    overrides.phaseAliases === undefined
      ? { name: 'synthetic', kind }
      : { name: 'synthetic', kind, phaseAliases: overrides.phaseAliases };
  return { design, profile: overrides.profile ?? 'ideal' };
}
