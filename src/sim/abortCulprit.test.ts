/**
 * An aborted run charges only the connection that caused it: the harness verdict names it,
 * the other connections' frozen state is not reported, and the end-of-run properties are not
 * judged (src/properties/abortedRun.ts).
 */
import { describe, expect, it } from 'vitest';
import { checkTrace } from '../properties/checkTrace.ts';
import { contextOf } from '../explore/explore.ts';
import { CulpritTracker } from './abortCulprit.ts';
import { zeroKnobs } from './profiles.ts';
import { withPython } from './python.ts';
import { runScenario } from './runScenario.ts';
import type { Command, HandlerDesign, Scenario, ServerConnection } from './types.ts';
import type { TraceRecord } from '../trace/types.ts';

/**
 * Connections of user `spinner` re-arm +0 ms work forever once accepted (a task of their own,
 * as seed 000's re-queue loop is); everyone else accepts, authenticates and reads, and their
 * events go straight to the socket.
 */
const oneSpinner: HandlerDesign = {
  kind: 'handler',
  name: 'one-spinner',
  create: (env) => {
    const sockets = new Map<string, ServerConnection>();
    return {
      async handle(conn) {
        sockets.set(conn.id, conn);
        await conn.socket.accept();
        if (conn.userId === 'spinner') {
          env.runtime.spawn('retry', async () => {
            for (;;) await env.runtime.sleep(0);
          });
        }
        await env.services.authenticate(conn);
        for (;;) await conn.socket.receiveText();
      },
      async emit(connId, event) {
        await sockets.get(connId)?.socket.sendJson({ payload: event.payload ?? null });
        return true;
      },
      async close() {},
    };
  },
};

/**
 * Logs which runs first: a task it spawns, or the coroutine of the `wait_for` it calls next.
 * The task on 3.11 (the coroutine is a new task, started after it); the coroutine on 3.12
 * (inline).
 */
const hopLogger: HandlerDesign = {
  kind: 'handler',
  name: 'hop-logger',
  create: (env) => ({
    async handle(conn) {
      await conn.socket.accept();
      env.runtime.spawn('sibling', async () => env.probe.log(conn.id, 'info', 'sibling ran'));
      await env.runtime.waitFor(async () => env.probe.log(conn.id, 'info', 'wait_for coroutine ran'), 1000);
      for (;;) await conn.socket.receiveText();
    },
    emit: async () => false,
    async close() {},
  }),
};

const open = (conn: string, userId: string, atMs = 0): Command => ({ atMs, kind: 'open', conn, userId });

const scenario = (commands: readonly Command[]): Scenario => ({
  // Authentication takes 40 ms (every choice 40), so c1 is still authenticating, with an
  // emit of its own in flight, when c2 starts spinning at 5 ms.
  knobs: { ...zeroKnobs, authDelayMsMax: 40 },
  environment: 'production',
  commands,
  choices: Array<number>(50).fill(40),
});

const twoConnections = scenario([
  open('c1', 'u1'),
  { atMs: 1, kind: 'emit', conn: 'c1', eventType: 'agent_started' },
  open('c2', 'spinner', 5),
]);

describe('an aborted run', () => {
  it('names the connection that caused it and nothing about the others', async () => {
    const { trace } = await runScenario(oneSpinner, twoConnections, { attributeAborts: true });
    const verdict = trace.at(-1);
    expect(verdict).toMatchObject({ conn: 'c2', actor: 'harness', action: 'unsettled' });
    expect(verdict?.detail?.['culprit']).toBe('c2');
    const reason = String(verdict?.detail?.['reason']);
    expect(reason).toContain('caused by c2');
    expect(reason).toContain('livelock');
    expect(reason).not.toContain('c1');
    expect(trace.some((e) => e.action === 'timersPending')).toBe(false);
  });

  it('without attribution, with several connections, is reported as aborted, charged to none', async () => {
    const verdict = (await runScenario(oneSpinner, twoConnections)).trace.at(-1);
    expect(verdict).toMatchObject({ conn: null, action: 'unsettled' });
    expect(String(verdict?.detail?.['reason'])).toContain(
      'run aborted (cause not attributed to a connection)',
    );
    expect(String(verdict?.detail?.['reason'])).not.toContain('c1 is');
  });

  it('is P10 for the run; P7 and P14 are not judged, the other properties are', async () => {
    const run = await runScenario(oneSpinner, twoConnections);
    const verdicts = checkTrace(run, contextOf(oneSpinner, 'lan'));
    const status = Object.fromEntries(verdicts.map((v) => [v.id, v.status]));
    expect(status['P10']).toBe('violated');
    // c1 was authenticating with an emit pending: neither is held against it.
    expect(status['P7']).toBe('not-exercised');
    expect(status['P14']).toBe('not-exercised');
    expect(verdicts.find((v) => v.id === 'P7')?.message).toContain('not judged: run aborted');
    // Safety is judged on what happened before the abort: c1's event went out before auth.
    expect(status['P5']).toBe('violated');
  });

  it('with one connection, charges it without a second run', async () => {
    const { trace } = await runScenario(oneSpinner, scenario([open('c2', 'spinner')]));
    expect(trace.at(-1)?.conn).toBe('c2');
  });

  it('a run that is not aborted keeps its end-of-run verdicts', async () => {
    const run = await runScenario(
      oneSpinner,
      scenario([open('c1', 'u1'), { atMs: 1, kind: 'emit', conn: 'c1', eventType: 'x' }]),
    );
    expect(run.trace.at(-1)?.action).toBe('settled');
    expect(run.trace.at(-1)?.detail?.['aborted']).toBeUndefined();
    const p14 = checkTrace(run, contextOf(oneSpinner, 'lan')).find((v) => v.id === 'P14');
    expect(p14?.status).not.toBe('not-exercised');
  });
});

describe('CulpritTracker', () => {
  it('adds nothing to a run: the tracked trace is the untracked one, byte for byte', async () => {
    const plain = await runScenario(
      oneSpinner,
      scenario([open('c1', 'u1'), { atMs: 1, kind: 'emit', conn: 'c1', eventType: 'x' }]),
    );
    const tracked = await runScenario(
      new CulpritTracker().wrap(oneSpinner),
      scenario([open('c1', 'u1'), { atMs: 1, kind: 'emit', conn: 'c1', eventType: 'x' }]),
    );
    expect(JSON.stringify(tracked.trace)).toBe(JSON.stringify(plain.trace));
  });

  it('keeps the Python version of the design it wraps (its wait_for runs inline on 3.12)', async () => {
    const oneConnection = scenario([open('c1', 'u1')]);
    const logged = (trace: readonly TraceRecord[]): unknown[] =>
      trace.filter((e) => e.actor === 'design' && e.action === 'log').map((e) => e.detail?.['message']);
    const py311 = await runScenario(hopLogger, oneConnection);
    expect(logged(py311.trace)).toEqual(['sibling ran', 'wait_for coroutine ran']);
    const py312 = withPython(hopLogger, '3.12') as HandlerDesign;
    const tracker = new CulpritTracker();
    try {
      const tracked = await runScenario(tracker.wrap(py312), oneConnection);
      expect(logged(tracked.trace)).toEqual(['wait_for coroutine ran', 'sibling ran']);
      expect(JSON.stringify(tracked.trace)).toBe(
        JSON.stringify((await runScenario(py312, oneConnection)).trace),
      );
    } finally {
      tracker.dispose();
    }
  });
});
