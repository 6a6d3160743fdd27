import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../core/index.ts';
import { TraceWriter } from './traceWriter.ts';

describe('TraceWriter', () => {
  it('stamps i in order and writes nothing once ended (a socket may report a write late)', async () => {
    const lines: string[] = [];
    let ended = false;
    const trace = new TraceWriter(
      {
        write: (line) => {
          if (ended) throw new Error('write after end');
          lines.push(line);
        },
        end: async () => void (ended = true),
      },
      defaultConfig,
    );
    trace.write({ conn: 'c1', actor: 'client', action: 'connect' });
    trace.write({ conn: null, actor: 'harness', action: 'settled', detail: { phases: {} } });
    await trace.end();
    expect(() =>
      trace.write({ conn: 'c1', actor: 'net', action: 'wire', message: 'websocket.send' }),
    ).not.toThrow();
    expect(lines.slice(1).map((l) => (JSON.parse(l) as { i: number; action: string }).action)).toEqual([
      'connect',
      'settled',
    ]);
    expect((JSON.parse(lines[2] as string) as { i: number }).i).toBe(1);
  });
});
