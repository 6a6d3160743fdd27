import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../trace/types.ts';
import { cutTimeline, renderTimeline } from './timeline.ts';

let next = 0;
function entry(e: Omit<TraceRecord, 'i'>): TraceRecord {
  return { i: next++, ...e };
}

function sampleTrace(): TraceRecord[] {
  next = 0;
  return [
    entry({ t: 0, conn: 'c1', actor: 'workload', action: 'open', detail: { userId: 'u1' } }),
    entry({ t: 0, conn: 'c1', actor: 'design', action: 'log', detail: { level: 'info', message: 'hi' } }),
    entry({
      t: 75,
      conn: 'c1',
      actor: 'workload',
      action: 'emit',
      detail: { eventId: 'e1', type: 'agent_started', critical: true },
    }),
    entry({ t: 75, conn: 'c1', actor: 'design', action: 'buffer', detail: { size: 1, capacity: 8 } }),
    entry({
      t: 75,
      conn: 'c1',
      actor: 'app',
      action: 'send',
      message: 'websocket.send',
      before: { client: 'CONNECTED', app: 'CONNECTING' },
      after: { client: 'CONNECTED', app: 'CONNECTING' },
      error:
        'Expected ASGI message "websocket.accept", "websocket.close" or "websocket.http.response.start", but got \'websocket.send\'',
      errorKind: 'RuntimeError',
    }),
    entry({ t: 100, conn: 'c1', actor: 'app', action: 'accept', message: 'websocket.accept' }),
  ];
}

describe('cutTimeline', () => {
  it('cuts right after the first offending step and drops buffer/log noise', () => {
    const cut = cutTimeline(sampleTrace(), [4]);
    expect(cut.map((e) => e.i)).toEqual([0, 2, 4]);
  });

  it('keeps an offending entry even when its kind is noise', () => {
    const cut = cutTimeline(sampleTrace(), [3]);
    expect(cut.map((e) => e.i)).toEqual([0, 2, 3]);
  });

  it('cuts after steps[0], the offending entry, keeping its earlier causes', () => {
    expect(cutTimeline(sampleTrace(), [5, 3]).map((e) => e.i)).toEqual([0, 2, 3, 4, 5]);
    expect(cutTimeline(sampleTrace(), [2, 5]).map((e) => e.i)).toEqual([0, 2]);
  });
});

describe('renderTimeline', () => {
  it('renders time, connection, actor, action, states and the error, marking the offending step', () => {
    const trace = sampleTrace();
    const lines = renderTimeline(cutTimeline(trace, [4]), [4]).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('emit e1 agent_started (critical)');
    const offending = lines[2] ?? '';
    expect(offending.startsWith('>')).toBe(true);
    expect(offending).toMatch(/t=75ms\s+c1\s+app\s+send websocket.send\s+app CONNECTING->CONNECTING/);
    expect(offending).toContain('! RuntimeError: Expected ASGI message "websocket.accept"');
    expect(lines[0]?.startsWith(' ')).toBe(true);
  });
});

describe('phase changes in a timeline', () => {
  function phaseTrace(): TraceRecord[] {
    next = 0;
    const phase = (to: string, applied: boolean): Omit<TraceRecord, 'i'> => ({
      t: 30,
      conn: 'c1',
      actor: 'design',
      action: 'phase',
      phase: applied ? to : 'CONNECTING',
      detail: { machine: 'm', from: 'CONNECTING', to, applied },
    });
    return [
      entry({ t: 0, conn: 'c1', actor: 'workload', action: 'open', detail: { userId: 'u1' } }),
      entry({ t: 30, conn: 'c1', actor: 'design', action: 'auth', detail: { ok: true } }),
      entry(phase('ACCEPTED', true)),
      entry(phase('SERVICES_READY', false)),
      entry({ t: 40, conn: 'c1', actor: 'client', action: 'message' }),
    ];
  }

  it('folds an applied phase change into the step before it instead of counting it', () => {
    const cut = cutTimeline(phaseTrace(), [4]);
    expect(cut.map((e) => e.i)).toEqual([0, 1, 3, 4]);
    expect(cut[1]?.phase).toBe('ACCEPTED');
    expect(renderTimeline(cut, [4]).split('\n')[1]).toMatch(/auth ok\s+=> ACCEPTED$/);
  });

  it('keeps a rejected phase attempt as a step of its own, without a folded arrow', () => {
    const lines = renderTimeline(cutTimeline(phaseTrace(), [4]), [4]).split('\n');
    expect(lines[2]).toContain('CONNECTING->SERVICES_READY (not applied)');
    expect(lines[2]).not.toContain('=>');
  });

  it('keeps an applied phase change that is itself offending', () => {
    expect(cutTimeline(phaseTrace(), [2]).map((e) => e.i)).toEqual([0, 1, 2]);
  });
});

describe('bursts in a timeline', () => {
  function burstTrace(): TraceRecord[] {
    next = 0;
    const emit = (id: string, t: number, critical: boolean): Omit<TraceRecord, 'i'> => ({
      t,
      conn: 'c1',
      actor: 'workload',
      action: 'emit',
      detail: { eventId: id, type: critical ? 'agent_started' : 'agent_thinking', critical },
    });
    return [
      entry({ t: 0, conn: 'c1', actor: 'workload', action: 'open', detail: { userId: 'u1' } }),
      entry(emit('e1', 0, true)),
      entry(emit('e2', 0, false)),
      entry(emit('e3', 0, true)),
      entry(emit('e4', 5, false)),
      entry({ t: 5, conn: 'c1', actor: 'design', action: 'outcome', detail: { eventId: 'e1' } }),
    ];
  }

  it('joins same-ms emits of one connection into one step that lists every event', () => {
    const cut = cutTimeline(burstTrace(), [5]);
    expect(cut.map((e) => e.i)).toEqual([0, 1, 4, 5]);
    expect(renderTimeline(cut, [5]).split('\n')[1]).toContain(
      'emit burst of 3 (* critical): e1 agent_started*, e2 agent_thinking, e3 agent_started*',
    );
  });

  it('never folds an offending emit into a burst, nor a burst into it', () => {
    expect(cutTimeline(burstTrace(), [5, 2]).map((e) => e.i)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('broadcasts in a timeline', () => {
  it("folds same-ms broadcasts and each connection's copy into one step naming the connections", () => {
    next = 0;
    const broadcast = (id: string): Omit<TraceRecord, 'i'> => ({
      t: 3,
      conn: null,
      actor: 'workload',
      action: 'broadcast',
      detail: { eventId: id, type: 'tool_executing', critical: true },
    });
    const copy = (id: string, conn: string): Omit<TraceRecord, 'i'> => ({
      t: 3,
      conn,
      actor: 'workload',
      action: 'emit',
      detail: { eventId: `${id}.${conn}`, type: 'tool_executing', critical: true },
    });
    const trace = [
      entry({ t: 0, conn: 'c1', actor: 'workload', action: 'open', detail: { userId: 'u1' } }),
      entry(broadcast('e1')),
      entry(copy('e1', 'c1')),
      entry(copy('e1', 'c2')),
      entry(broadcast('e2')),
      entry(copy('e2', 'c1')),
      entry({ t: 3, conn: 'c1', actor: 'design', action: 'outcome', detail: { eventId: 'e1.c1' } }),
    ];
    const cut = cutTimeline(trace, [6]);
    expect(cut.map((e) => e.i)).toEqual([0, 1, 6]);
    expect(renderTimeline(cut, [6]).split('\n')[1]).toContain(
      'broadcast burst of 2 (* critical): e1 tool_executing*, e2 tool_executing* -> c1, c2',
    );
  });
});

describe('renderTimeline with columns', () => {
  it('wraps a wide row under its description, cutting a word too long for a line', () => {
    next = 0;
    const reason = '\u20ac'.repeat(60);
    const trace = [
      entry({ t: 0, conn: 'c1', actor: 'workload', action: 'open', detail: { userId: 'u1' } }),
      entry({
        t: 75,
        conn: 'c1',
        actor: 'net',
        action: 'wire',
        message: 'websocket.close',
        frame: { code: 1000, reason },
      }),
    ];
    const lines = renderTimeline(trace, [1], { columns: 80 }).split('\n');
    expect(lines[0]).toBe('  0 t=0ms     c1  workload open user u1');
    expect(lines[1]).toMatch(/^> 1 t=75ms {4}c1 {2}net {6}wire websocket\.close$/);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
    // Continuation lines start under the description; the cut frame reads whole when joined.
    expect(lines.slice(2).every((l) => l.startsWith(' '.repeat(27)))).toBe(true);
    expect(
      lines
        .slice(2)
        .map((l) => l.trim())
        .join(''),
    ).toBe(`${JSON.stringify({ code: 1000, reason }).slice(0, 69)}...`); // frames without events: JSON cut at 72
  });
});
