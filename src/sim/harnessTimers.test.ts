/**
 * The harness's own timers are never charged to a design (SPEC section 8, P10): frames still
 * in flight at the settle bound are delivered before the verdict, and whatever harness timer
 * remains is left out of `harness/timersPending`.
 */
import { describe, expect, it } from 'vitest';
import { p10EventuallySettled } from '../properties/p10EventuallySettled.ts';
import { defaultConfig } from '../core/index.ts';
import { reference } from '../designs/reference.ts';
import { isHarnessTimer, isTransportTimer } from './harnessTimers.ts';
import { zeroKnobs } from './profiles.ts';
import { runScenario } from './runScenario.ts';
import type { SimClock } from './simClock.ts';
import type { Design, HandlerDesign, Scenario } from './types.ts';
import type { TraceRecord } from '../trace/types.ts';

function find(trace: readonly TraceRecord[], actor: string, action: string): TraceRecord[] {
  return trace.filter((e) => e.actor === actor && e.action === action);
}

// 360 ms each way: healed at 4 x 360 = 1440 ms after the open, the bound 500 ms later.
const slowLink: Scenario = {
  knobs: { ...zeroKnobs, latencyMsMin: 360, latencyMsMax: 360 },
  environment: 'production',
  choices: [],
  commands: [{ atMs: 0, kind: 'open', conn: 'c1', userId: 'u1' }],
};
const settleMs = 500;
const boundMs = 1440 + settleMs;

describe("which timers are the harness's own", () => {
  it("network pipes, writes, workload commands and the harness's marks; not a design's", () => {
    for (const name of ['net:c1:up', 'net:c2:down', 'write:c1', 'reader:c1', 'command:emit', 'harness:end'])
      expect(isHarnessTimer(name), name).toBe(true);
    for (const name of ['core:c1:heartbeat', 'sleep:c1', 'sleep', 'wait_for:c2', 'task:emit', 'call_soon'])
      expect(isHarnessTimer(name), name).toBe(false);
    expect(
      ['net:c1:up', 'write:c1', 'reader:c1', 'command:emit', 'harness:end'].map(isTransportTimer),
    ).toEqual([true, true, true, false, false]);
  });
});

describe('a close frame on the wire at the settle bound', () => {
  // The reference with a 700 ms heartbeat that gives up after one unanswered ping: a 720 ms
  // round trip closes the connection (1011) shortly before the bound, its close frame and
  // the browser's answer still on their way.
  const config = { ...defaultConfig, heartbeatIntervalMs: 700, missedPongLimit: 1 };

  it("arrives, and the browser's answer too, before the run is judged", async () => {
    let clock: SimClock | undefined;
    const run = await runScenario(reference as Design, slowLink, {
      config,
      settleMs,
      onClock: (c) => (clock = c),
    });
    const [closeFrame] = find(run.trace, 'net', 'wire').filter((e) => e.message === 'websocket.close');
    expect(closeFrame?.frame).toEqual({ code: 1011, reason: 'heartbeat timeout' });
    // The precondition: the frame left before the bound and could not arrive by it.
    expect(closeFrame?.t).toBeLessThan(boundMs);
    expect((closeFrame?.t ?? 0) + 360).toBeGreaterThan(boundMs);
    const received = find(run.trace, 'client', 'received').filter((e) => e.message === 'websocket.close');
    expect(received.map((e) => e.t)).toEqual([(closeFrame?.t ?? 0) + 360]);
    expect(find(run.trace, 'client', 'close').map((e) => e.detail?.['echo'])).toEqual([true]);
    expect(clock?.pendingNames()).toEqual([]);
    expect(find(run.trace, 'harness', 'settled')[0]?.detail).toEqual({ phases: { c1: 'closed' } });
    expect(find(run.trace, 'harness', 'timersPending')).toEqual([]);
    expect(p10EventuallySettled.check(run, { design: reference, profile: 'hostile' }).status).toBe('held');
  });
});

describe('harness timers left at the end of a run', () => {
  it("are not listed with a design's own leftovers", async () => {
    // Closes at about 1860 ms; a task of no connection sleeps until 2000 ms, so the delivery
    // after the bound stops at the design's timer with the close frame still on the wire.
    const lateCloser: HandlerDesign = {
      kind: 'handler',
      name: 'late-closer',
      create: ({ runtime }) => {
        runtime.spawn('housekeeping', () => runtime.sleep(2000));
        return {
          async handle(conn) {
            await conn.socket.accept();
            await runtime.sleep(1500);
            await conn.socket.close(1011, 'bye');
          },
          async emit() {
            return false;
          },
          async close() {},
        };
      },
    };
    const run = await runScenario(lateCloser, slowLink, { settleMs });
    const closeFrame = find(run.trace, 'net', 'wire').find((e) => e.message === 'websocket.close');
    expect(closeFrame?.t).toBeLessThan(boundMs);
    expect(find(run.trace, 'client', 'received').map((e) => e.message)).toEqual(['websocket.accept']);
    const pending = find(run.trace, 'harness', 'timersPending');
    expect(pending.map((e) => [e.conn, e.detail?.['names']])).toEqual([[null, ['sleep']]]);
  });
});
