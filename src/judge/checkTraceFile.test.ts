/**
 * check-trace on a real recording of an app that reports no phase and no auth (a Starlette
 * app under the Python recorder): under --profile lan a connection is ready once its accept
 * is on the wire.
 */
import { describe, expect, it } from 'vitest';
import { TraceBuilder } from '../properties/traceBuilder.ts';
import type { TraceHeader } from '../trace/traceFormat.ts';
import { checkTraceFile } from './checkTraceFile.ts';

const header: TraceHeader = {
  format: 'ws-lifecycle-trace',
  version: 1,
  source: 'real',
  recorder: 'test',
  design: { name: 'app', kind: 'handler' },
  profile: null,
};

function p14(acceptOnWireAt: number | null): string | undefined {
  const b = new TraceBuilder();
  b.at(0).open('c1', 'u1');
  if (acceptOnWireAt !== null) {
    b.at(acceptOnWireAt).accept('c1');
    b.entry('c1', 'net', 'wire', { message: 'websocket.accept' });
  }
  b.at(400).settled({ c1: 'ready' });
  const run = b.run('app');
  const verdict = checkTraceFile({ header, run }, 'lan').find((v) => v.id === 'P14');
  return verdict?.status === 'violated' ? verdict.message : verdict?.status;
}

describe('check-trace --profile lan on a real app that reports no phase and no auth', () => {
  it('counts the accept on the wire as ready', () => {
    expect(p14(20)).toBe('held');
    expect(p14(250)).toContain('ready 250ms after open');
  });

  it('still finds a connection never accepted', () => {
    expect(p14(null)).toContain('never ready');
  });
});
