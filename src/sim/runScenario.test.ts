/**
 * Scenario tests: seed 000's section 1.1 timeline against a naive handler and against the
 * reference core; the receive-after-local-close interleaving with no latency at all.
 */
import { describe, expect, it } from 'vitest';
import { p10EventuallySettled } from '../properties/p10EventuallySettled.ts';
import { reference } from '../designs/reference.ts';
import { WebSocketDisconnect } from './errors.ts';
import { zeroKnobs } from './profiles.ts';
import { runScenario } from './runScenario.ts';
import { notConnectedMessage } from './socket.ts';
import type { Design, HandlerDesign, ReducerDesign, Scenario, ServerConnection } from './types.ts';
import type { TraceRecord } from '../trace/types.ts';

/**
 * Seed 000 section 1.1: accept() called at 0, authentication starts at 50 (concurrently),
 * events are sent straight to the socket by a registry.
 */
const naive000: HandlerDesign = {
  kind: 'handler',
  name: 'naive-000',
  create(env) {
    const registry = new Map<string, ServerConnection>();
    return {
      async handle(conn) {
        registry.set(conn.id, conn);
        const accepting = env.runtime.spawn('accept', () => conn.socket.accept());
        await env.runtime.sleep(50);
        await env.services.authenticate(conn);
        await accepting.finished;
      },
      async emit(connId, event) {
        const conn = registry.get(connId);
        if (conn === undefined) return false;
        await conn.socket.sendJson({
          event: { id: event.id, type: event.type, payload: event.payload ?? null },
        });
        return true;
      },
      async close(connId, code, reason) {
        await registry.get(connId)?.socket.close(code, reason);
      },
    };
  },
};

const timeline000: Scenario = {
  knobs: { ...zeroKnobs, handshakeDelayMsMax: 100, authDelayMsMax: 100 },
  environment: 'production',
  commands: [
    { atMs: 0, kind: 'open', conn: 'c1', userId: 'u1' },
    { atMs: 75, kind: 'emit', conn: 'c1', eventType: 'agent_started' },
    { atMs: 76, kind: 'emit', conn: 'c1', eventType: 'agent_thinking' },
  ],
  // Read in order: handshake 100 ms, connect hop, handle hop, accept hop, auth delay 100 ms.
  choices: [100, 0, 0, 0, 100],
};

function find(trace: readonly TraceRecord[], actor: string, action: string): TraceRecord[] {
  return trace.filter((e) => e.actor === actor && e.action === action);
}

describe('seed 000 section 1.1 timeline, on uvicorn semantics', () => {
  it('naive handler: the endpoint runs only once websocket.connect is there; a 75 ms emit finds no connection', async () => {
    const { trace } = await runScenario(naive000, timeline000);
    const connect = find(trace, 'client', 'connect')[0];
    const accept = find(trace, 'app', 'accept')[0];
    expect(connect?.t).toBe(100);
    expect(accept?.t).toBe(100);
    expect(accept?.error).toBeUndefined();
    // The agent of seed 000's timeline emits before uvicorn has called the endpoint: there
    // is nothing to emit to yet, so the emit is skipped, never a send before accept.
    expect(find(trace, 'app', 'send')).toEqual([]);
    expect(find(trace, 'harness', 'log').map((e) => e.detail?.['message'])).toContain(
      'emit skipped: the server has not seen c1 yet',
    );
    expect(trace.some((e) => e.errorKind === 'RuntimeError')).toBe(false);
  });

  it('naive handler: an agent emitting as soon as the connection is there writes before auth (P5), not before accept', async () => {
    const scenario: Scenario = {
      ...timeline000,
      commands: [
        { atMs: 0, kind: 'open', conn: 'c1', userId: 'u1' },
        { atMs: 0, kind: 'emit', conn: 'c1', eventType: 'agent_started', sinceConnectMs: 20 },
      ],
    };
    const { trace } = await runScenario(naive000, scenario);
    const accept = find(trace, 'app', 'accept')[0];
    const auth = find(trace, 'design', 'auth')[0];
    const sent = find(trace, 'app', 'send')[0];
    expect(sent?.t).toBe(120);
    expect(sent?.before).toEqual({ client: 'CONNECTED', app: 'CONNECTED' });
    expect(sent?.i).toBeGreaterThan(accept?.i ?? Infinity);
    expect(sent?.i).toBeLessThan(auth?.i ?? -1);
  });

  it('reference core: events emitted once the connection is there reach the wire after auth, in emit order', async () => {
    const scenario: Scenario = {
      ...timeline000,
      commands: [
        { atMs: 0, kind: 'open', conn: 'c1', userId: 'u1' },
        { atMs: 0, kind: 'emit', conn: 'c1', eventType: 'agent_started', sinceConnectMs: 0 },
        { atMs: 0, kind: 'emit', conn: 'c1', eventType: 'agent_thinking', sinceConnectMs: 1 },
      ],
      choices: [100],
    };
    const { trace } = await runScenario(reference as Design, scenario);
    expect(trace.some((e) => e.errorKind === 'RuntimeError')).toBe(false);
    const authOk = find(trace, 'design', 'auth').find((e) => e.detail?.['ok'] === true);
    const wired = find(trace, 'net', 'wire').filter((e) => e.message === 'websocket.send');
    expect(authOk).toBeDefined();
    expect(wired.map((e) => JSON.stringify(e.frame).match(/"eventId":"(e\d+)"/)?.[1])).toEqual(['e1', 'e2']);
    for (const wire of wired) expect(wire.i).toBeGreaterThan(authOk?.i ?? Infinity);
    expect(find(trace, 'harness', 'settled')[0]?.detail).toEqual({ phases: { c1: 'ready' } });
  });
});

/** A message loop that processes each message for 10 ms; a cleanup task closes the socket. */
const loopAfterClose: HandlerDesign = {
  kind: 'handler',
  name: 'loop-after-close',
  create(env) {
    const registry = new Map<string, ServerConnection>();
    return {
      async handle(conn) {
        registry.set(conn.id, conn);
        await conn.socket.accept();
        await env.services.authenticate(conn);
        for (;;) {
          try {
            await conn.socket.receiveText();
          } catch (error) {
            if (error instanceof WebSocketDisconnect) return;
            throw error;
          }
          await env.runtime.sleep(10);
        }
      },
      async emit() {
        return false;
      },
      async close(connId, code, reason) {
        await registry.get(connId)?.socket.close(code, reason);
      },
    };
  },
};

describe('receive after the app closed its own socket', () => {
  it('yields "Need to call accept first" with no handshake latency at all', async () => {
    const { trace } = await runScenario(loopAfterClose, {
      knobs: zeroKnobs,
      environment: 'production',
      commands: [
        { atMs: 0, kind: 'open', conn: 'c1', userId: 'u1' },
        { atMs: 5, kind: 'clientMessage', conn: 'c1', text: 'hello' },
        { atMs: 6, kind: 'appClose', conn: 'c1', code: 1000, reason: 'agent finished' },
      ],
      choices: [],
    });
    const accept = find(trace, 'app', 'accept')[0];
    expect(accept?.t).toBe(0);
    const failed = find(trace, 'app', 'receive').find((e) => e.error !== undefined);
    expect(failed?.t).toBe(15);
    expect(failed?.before).toEqual({ client: 'CONNECTED', app: 'DISCONNECTED' });
    expect(failed?.error).toBe(notConnectedMessage);
    // The design's unhandled error is written to the trace and the run still settles.
    expect(
      find(trace, 'design', 'log').some((e) => String(e.detail?.['message']).includes(notConnectedMessage)),
    ).toBe(true);
    expect(trace.at(-1)?.action).toBe('settled');
  });
});

describe('run never hangs or throws because of a design', () => {
  it('a design spinning on a failing call is stopped as a livelock and reported', async () => {
    const spinning: HandlerDesign = {
      kind: 'handler',
      name: 'spin',
      create() {
        return {
          async handle(conn) {
            for (;;) {
              try {
                await conn.socket.receiveText();
              } catch {
                // swallow and retry: never awaits time
              }
            }
          },
          async emit() {},
          async close() {},
        };
      },
    };
    const { trace } = await runScenario(spinning, {
      knobs: zeroKnobs,
      environment: 'production',
      commands: [{ atMs: 0, kind: 'open', conn: 'c1', userId: 'u1' }],
      choices: [],
    });
    const verdict = trace.at(-1);
    expect(verdict?.action).toBe('unsettled');
    expect(String(verdict?.detail?.['reason'])).toContain('livelock');
  });

  it('an emit that never returns is named in harness/unsettled', async () => {
    const stuck: HandlerDesign = {
      kind: 'handler',
      name: 'stuck',
      create(env) {
        return {
          async handle(conn) {
            await conn.socket.accept();
            await env.services.authenticate(conn);
          },
          emit: () => new Promise<boolean>(() => undefined),
          async close() {},
        };
      },
    };
    const { trace } = await runScenario(stuck, {
      knobs: zeroKnobs,
      environment: 'production',
      commands: [
        { atMs: 0, kind: 'open', conn: 'c1', userId: 'u1' },
        { atMs: 1, kind: 'emit', conn: 'c1', eventType: 'agent_started' },
      ],
      choices: [],
    });
    expect(trace.at(-1)?.detail?.['reason']).toBe('emit e1 to c1 never returned');
  });
});

describe('timers left pending after a connection closed (P10)', () => {
  /** The reference, except that entering `closed` arms a long heartbeat timer. */
  const leavesTimer: ReducerDesign<unknown> = {
    ...(reference as ReducerDesign<unknown>),
    name: 'leaves-timer',
    step(state, input) {
      const result = reference.step(state as never, input);
      const closing =
        reference.phaseOf(state as never) !== 'closed' && reference.phaseOf(result.state) === 'closed';
      if (!closing) return result;
      return {
        ...result,
        effects: [...result.effects, { type: 'setTimer', name: 'heartbeat', ms: 1_000_000 }],
      };
    },
  };
  const twoConnections: Scenario = {
    knobs: zeroKnobs,
    environment: 'production',
    commands: [
      { atMs: 0, kind: 'open', conn: 'c1', userId: 'u1' },
      { atMs: 0, kind: 'open', conn: 'c2', userId: 'u2' },
      { atMs: 20, kind: 'appClose', conn: 'c1', code: 1000, reason: 'done' },
    ],
    choices: [],
  };

  it('are reported per closed connection while another connection stays ready', async () => {
    const run = await runScenario(leavesTimer, twoConnections);
    expect(find(run.trace, 'harness', 'settled')[0]?.detail).toEqual({
      phases: { c1: 'closed', c2: 'ready' },
    });
    const pending = find(run.trace, 'harness', 'timersPending');
    expect(pending).toHaveLength(1);
    expect(pending[0]?.conn).toBe('c1');
    expect(pending[0]?.detail).toEqual({ count: 1, names: ['core:c1:heartbeat'] });
    const verdict = p10EventuallySettled.check(run, { design: leavesTimer, profile: 'ideal' });
    expect(verdict.status).toBe('violated');
    expect(verdict.message).toContain('c1: 1 timer(s) pending after it closed: core:c1:heartbeat');
  });

  it('are not reported for the reference in the same scenario', async () => {
    const run = await runScenario(reference as Design, twoConnections);
    expect(find(run.trace, 'harness', 'timersPending')).toEqual([]);
    expect(p10EventuallySettled.check(run, { design: reference, profile: 'ideal' }).status).toBe('held');
  });
});

describe('timers a handler design leaves behind', () => {
  it("charges a task's sleep to its closed connection while another connection stays open", async () => {
    const sleeper: HandlerDesign = {
      kind: 'handler',
      name: 'sleeper',
      create: ({ runtime }) => ({
        async handle(conn) {
          await conn.socket.accept();
          // A per-connection task whose long sleep nobody cancels.
          if (conn.id === 'c1') runtime.spawn('expiry', () => runtime.sleep(3_600_000));
          try {
            for (;;) await conn.socket.receiveText();
          } catch {
            // the browser left
          }
        },
        async emit() {
          return false;
        },
        async close() {},
      }),
    };
    const { trace } = await runScenario(sleeper, {
      knobs: zeroKnobs,
      environment: 'production',
      choices: [],
      commands: [
        { atMs: 0, kind: 'open', conn: 'c1', userId: 'u1' },
        { atMs: 0, kind: 'open', conn: 'c2', userId: 'u2' },
        { atMs: 5, kind: 'peerClose', conn: 'c1', code: 1000 },
      ],
    });
    const pending = find(trace, 'harness', 'timersPending');
    expect(pending.map((e) => [e.conn, e.detail?.['names']])).toEqual([['c1', ['sleep:c1']]]);
  });
});
