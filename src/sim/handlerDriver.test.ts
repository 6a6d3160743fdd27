import { describe, expect, it } from 'vitest';
import { profiles, zeroKnobs } from './profiles.ts';
import { runScenario } from './runScenario.ts';
import type { HandlerDesign, Scenario, ServerConnection } from './types.ts';
import type { TraceRecord } from '../trace/types.ts';

/** Accept, auth, report phases through the probe; broadcast to every registered connection. */
const probed: HandlerDesign = {
  kind: 'handler',
  name: 'probed',
  phaseAliases: { HANDSHAKE: 'accepting', AUTH: 'authenticating', LIVE: 'ready', DONE: 'closed' },
  create(env) {
    const registry = new Map<string, ServerConnection>();
    return {
      async handle(conn) {
        env.probe.phase(conn.id, 'conn', 'INIT', 'HANDSHAKE', true);
        await conn.socket.accept();
        env.probe.phase(conn.id, 'conn', 'HANDSHAKE', 'AUTH', true);
        if (!(await env.services.authenticate(conn))) {
          await conn.socket.close(1008, 'auth failed');
          env.probe.phase(conn.id, 'conn', 'AUTH', 'DONE', true);
          return;
        }
        env.probe.phase(conn.id, 'conn', 'AUTH', 'LIVE', true);
        registry.set(conn.id, conn);
      },
      async emit(connId, event) {
        const conn = registry.get(connId);
        if (conn === undefined) return false;
        await conn.socket.sendJson({ id: event.id, payload: event.payload ?? null });
        return true;
      },
      async close(connId, code, reason) {
        const conn = registry.get(connId);
        registry.delete(connId);
        await conn?.socket.close(code, reason);
        env.probe.phase(connId, 'conn', 'LIVE', 'DONE', true);
      },
      async broadcast(event) {
        for (const conn of registry.values())
          await conn.socket.sendJson({ id: event.id, payload: event.payload ?? null });
      },
    };
  },
};

const of = (trace: readonly TraceRecord[], actor: string, action: string) =>
  trace.filter((e) => e.actor === actor && e.action === action);

describe('HandlerDriver and the multi-connection server', () => {
  it('routes events per user, broadcasts to every connection, maps phases through aliases', async () => {
    const scenario: Scenario = {
      knobs: profiles.lan,
      environment: 'production',
      commands: [
        { atMs: 0, kind: 'open', conn: 'c1', userId: 'alice' },
        { atMs: 0, kind: 'open', conn: 'c2', userId: 'bob' },
        { atMs: 100, kind: 'emit', conn: 'c1', eventType: 'agent_started' },
        { atMs: 100, kind: 'emit', conn: 'c2', eventType: 'agent_started' },
        { atMs: 120, kind: 'broadcast', eventType: 'agent_thinking' },
        { atMs: 150, kind: 'appClose', conn: 'c2', code: 1000, reason: 'done' },
      ],
      choices: [7, 3, 9, 1, 4, 4, 2, 8, 5],
    };
    const { trace, userOf } = await runScenario(probed, scenario);
    expect(userOf).toEqual({ c1: 'alice', c2: 'bob' });
    const wires = of(trace, 'net', 'wire').filter((e) => e.message === 'websocket.send');
    const userOfFrame = (e: TraceRecord) => (e.frame as { payload: { user: string | null } }).payload.user;
    for (const wire of wires) {
      const user = userOfFrame(wire);
      if (user !== null) expect(user).toBe(userOf[wire.conn ?? '']);
    }
    const broadcastId = of(trace, 'workload', 'broadcast')[0]?.detail?.['eventId'];
    expect(
      wires
        .filter((e) => (e.frame as { id: string }).id === broadcastId)
        .map((e) => e.conn)
        .sort(),
    ).toEqual(['c1', 'c2']);
    expect(of(trace, 'workload', 'emitReturned').map((e) => e.detail?.['result'])).toEqual(['true', 'true']);
    expect(trace.at(-1)).toMatchObject({
      action: 'settled',
      detail: { phases: { c1: 'ready', c2: 'closed' } },
    });
  });

  it('an auth failure ends in closed, derived from the design phase alias', async () => {
    const { trace } = await runScenario(probed, {
      knobs: { ...zeroKnobs, authFailurePerMillion: 1_000_000 },
      environment: 'production',
      // Faults heal after the last command: a later command keeps them on during auth.
      commands: [
        { atMs: 0, kind: 'open', conn: 'c1', userId: 'u1' },
        { atMs: 100, kind: 'clientMessage', conn: 'c1', text: 'hi' },
      ],
      choices: [],
    });
    expect(of(trace, 'design', 'auth')[0]?.detail).toEqual({ ok: false });
    expect(of(trace, 'app', 'close')[0]?.frame).toEqual({ code: 1008, reason: 'auth failed' });
    expect(trace.at(-1)).toMatchObject({ action: 'settled', detail: { phases: { c1: 'closed' } } });
  });

  it('without phase reports, the settled phase comes from the socket; a stuck handshake is named', async () => {
    const silent: HandlerDesign = {
      kind: 'handler',
      name: 'never-accepts',
      create: () => ({
        handle: async () => undefined,
        emit: async () => false,
        close: async () => undefined,
      }),
    };
    const neverAccepts: HandlerDesign = {
      ...silent,
      create: (env) => ({ ...silent.create(env), handle: () => env.runtime.sleep(1e9) }),
    };
    const scenario: Scenario = {
      knobs: zeroKnobs,
      environment: 'production',
      commands: [{ atMs: 0, kind: 'open', conn: 'c1', userId: 'u1' }],
      choices: [],
    };
    // Handle returned: the connection counts as closed.
    expect((await runScenario(silent, scenario)).trace.at(-1)).toMatchObject({
      action: 'settled',
      detail: { phases: { c1: 'closed' } },
    });
    const stuck = (await runScenario(neverAccepts, scenario)).trace.at(-1);
    expect(stuck?.action).toBe('unsettled');
    expect(stuck?.detail?.['reason']).toBe("c1 is 'CONNECTING/CONNECTING', neither ready nor closed");
  });

  it('a design re-arming +0 ms work forever is stopped by the same-ms livelock guard', async () => {
    const retrying: HandlerDesign = {
      kind: 'handler',
      name: 'retry-forever',
      create: (env) => ({
        async handle() {
          for (;;) await env.runtime.sleep(0);
        },
        emit: async () => false,
        close: async () => undefined,
      }),
    };
    const { trace } = await runScenario(retrying, {
      knobs: zeroKnobs,
      environment: 'production',
      commands: [{ atMs: 3, kind: 'open', conn: 'c1', userId: 'u1' }],
      choices: [],
    });
    expect(String(trace.at(-1)?.detail?.['reason'])).toContain('timers fired at 3 ms without time advancing');
  });
});
