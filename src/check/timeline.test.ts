import { describe, expect, it } from 'vitest';
import type { TraceEntry } from '../sim/types.ts';
import { cutTimeline, renderTimeline } from './timeline.ts';

let next = 0;
function entry(e: Omit<TraceEntry, 'i'>): TraceEntry {
  return { i: next++, ...e };
}

function sampleTrace(): TraceEntry[] {
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
