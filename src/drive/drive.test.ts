import { describe, expect, it } from 'vitest';
import { parseTraceFile } from '../trace/traceFile.ts';
import { checkTraceFile } from '../judge/checkTraceFile.ts';
import { driveScenario, withoutAction } from './scenario.ts';
import { sliceTrace } from './traceSlice.ts';
import { violationsOf } from './violationsOf.ts';

const header = JSON.stringify({
  format: 'ws-lifecycle-trace',
  version: 1,
  source: 'real',
  recorder: 'ws_lifecycle_recorder (python)',
  design: { name: 'fastapi-chat', kind: 'handler' },
  profile: null,
  meta: {},
});

const line = (e: object): string => `${JSON.stringify(e)}\n`;

describe('driveScenario', () => {
  it('is the same scenario for the same seed and run, another for another run or seed', () => {
    expect(driveScenario(7, 3)).toEqual(driveScenario(7, 3));
    expect(driveScenario(7, 3)).not.toEqual(driveScenario(7, 4));
    expect(driveScenario(7, 3)).not.toEqual(driveScenario(8, 3));
  });

  it('keeps to its bounds over many runs and draws every kind of action', () => {
    const kinds = new Set<string>();
    let shared = 0;
    let sameInstantVanish = 0;
    for (let run = 0; run < 500; run++) {
      const s = driveScenario(1, run);
      expect(s.users.length).toBeGreaterThanOrEqual(1);
      expect(s.users.length).toBeLessThanOrEqual(4);
      if (new Set(s.users).size < s.users.length) shared++;
      expect(s.actions[0]).toEqual({ type: 'open', conn: 1, afterMs: 0 });
      const opened = new Set<number>();
      const gone = new Set<number>();
      s.actions.forEach((a, k) => {
        kinds.add(a.type);
        expect(a.afterMs).toBeGreaterThanOrEqual(0);
        expect(a.afterMs).toBeLessThanOrEqual(300);
        // An action other than open is on a connection that opened and has not left.
        if (a.type === 'open') opened.add(a.conn);
        else {
          expect(opened.has(a.conn) && !gone.has(a.conn)).toBe(true);
          if (a.type === 'close' || a.type === 'vanish') gone.add(a.conn);
        }
        if (a.type === 'burst') {
          expect(a.count).toBeGreaterThanOrEqual(1);
          expect(a.count).toBeLessThanOrEqual(30);
          expect(a.gapMs).toBeLessThanOrEqual(5);
        }
        if (a.type === 'pause') expect(a.ms >= 100 && a.ms <= 1000).toBe(true);
        if (a.type === 'close') expect([1000, 1001]).toContain(a.code);
        if (a.type === 'vanish' && a.afterMs === 0 && s.actions[k - 1]?.type === 'vanish')
          sameInstantVanish++;
      });
    }
    expect([...kinds].sort()).toEqual(['burst', 'close', 'open', 'pause', 'vanish']);
    expect(shared).toBeGreaterThan(0);
    expect(sameInstantVanish).toBeGreaterThan(0);
  });

  it('withoutAction drops exactly one action', () => {
    const s = driveScenario(5, 0);
    const smaller = withoutAction(s, 1);
    expect(smaller.actions).toEqual([s.actions[0], ...s.actions.slice(2)]);
  });
});

describe('sliceTrace', () => {
  const appended =
    line({ i: 40, t: 1, conn: 'c9', actor: 'app', action: 'send', message: 'websocket.send' }) +
    line({ i: 41, t: 2, conn: 'c10', actor: 'app', action: 'handlerStarted' }) +
    line({
      i: 42,
      t: 3,
      conn: 'c11',
      actor: 'net',
      action: 'sendFailed',
      message: 'websocket.send',
      error: 'x',
      errorKind: 'Error',
    }) +
    line({
      i: 43,
      t: 4,
      conn: 'c10',
      actor: 'app',
      action: 'handlerRaised',
      error: 'x',
      errorKind: 'Error',
      detail: { exception: 'a.B', raisedBy: 42 },
    }) +
    line({
      i: 44,
      t: 5,
      conn: 'c11',
      actor: 'app',
      action: 'handlerRaised',
      error: 'y',
      errorKind: 'Error',
      detail: { exception: 'a.B', raisedBy: 40 },
    });

  it('re-numbers from 0, keeps the server connection ids and maps raisedBy by the same offset', () => {
    const slice = sliceTrace(header, appended, new Set(['c9']));
    const { run } = parseTraceFile(slice.text, 'slice');
    expect(run.trace.map((e) => e.i)).toEqual([0, 1, 2, 3]);
    expect(run.trace.map((e) => e.conn)).toEqual(['c10', 'c11', 'c10', 'c11']);
    expect(slice.conns).toEqual(['c10', 'c11']);
    expect(slice.lateEntries).toBe(1);
    expect(slice.firstIndex).toBe(41);
    // 42 is the slice's entry 1.
    expect(run.trace[2]?.detail?.['raisedBy']).toBe(1);
    // 40 was left out (c9 belongs to an earlier run): null, the server's index kept aside.
    expect(run.trace[3]?.detail).toMatchObject({ raisedBy: null, raisedByOutsideRun: 40 });
  });

  it('keeps every entry when no connection is from an earlier run', () => {
    const slice = sliceTrace(header, appended, new Set());
    const { run } = parseTraceFile(slice.text, 'slice');
    expect(run.trace).toHaveLength(5);
    expect(run.trace[3]?.detail?.['raisedBy']).toBe(2);
    expect(run.trace[4]?.detail?.['raisedBy']).toBe(0);
  });

  it('refuses a line that is not JSON, naming it', () => {
    expect(() => sliceTrace(header, `${line({ i: 0 })}{oops\n`, new Set())).toThrow(
      /line 2 of the run's part/,
    );
  });

  it('refuses a line nested deeper than a trace file may be, before parsing it', () => {
    const deep = `{"i":1,"detail":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    expect(() => sliceTrace(header, `${line({ i: 0 })}${deep}\n`, new Set())).toThrow(
      /line 2 of the run's part of the trace: nested deeper than 64 levels/,
    );
  });
});

describe('violationsOf', () => {
  it('lists each P13 violation of a run, a handler killed through another connection keeping its cause', () => {
    const entries = [
      { conn: 'c1', actor: 'app', action: 'handlerStarted' },
      { conn: 'c2', actor: 'app', action: 'handlerStarted' },
      {
        conn: 'c2',
        actor: 'net',
        action: 'sendFailed',
        message: 'websocket.send',
        error: 'after close',
        errorKind: 'RuntimeError',
      },
      {
        conn: 'c1',
        actor: 'app',
        action: 'handlerRaised',
        error: 'after close',
        errorKind: 'RuntimeError',
        detail: { exception: 'builtins.RuntimeError', raisedBy: 2 },
      },
    ].map((e, i) => ({ i, t: i, ...e }));
    const file = parseTraceFile(header + '\n' + entries.map(line).join(''), 'run');
    const found = violationsOf(file, 'P13', (f) => checkTraceFile(f)).map((v) => v.verdict.message);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^c2: sendFailed of websocket.send raised RuntimeError/);
    expect(found[1]).toMatch(
      /^c1: its handler raised RuntimeError "after close", from the websocket.send on c2 \(another connection\)/,
    );
  });
});
