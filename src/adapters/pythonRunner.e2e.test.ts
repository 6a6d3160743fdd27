import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTraceFile } from '../judge/checkTraceFile.ts';
import { parseTraceFile } from '../trace/traceFile.ts';
import { traceFileKindIssues } from '../trace/traceKinds.ts';
import { python, requirePythonStack } from './pythonApp.ts';

// The Python runner (adapters/python/runner): FastAPI's documented chat, unchanged, under
// uvicorn 0.17.6's WebSocketProtocol on a virtual-time event loop, driven by a scenario in
// which c3 vanishes while c1 chats, so that a broadcast reaches the vanished client.
const runnerDir = new URL('../../adapters/python/runner/', import.meta.url).pathname;
const app = "../examples/fastapi_chat.py:build('chat')";
const scenario = 'scenarios/fastapi_chat_vanish.json';
const stack = requirePythonStack('Python runner test');

function run(out: string): string {
  execFileSync(python, ['-m', 'ws_lifecycle_runner', app, scenario, out], { cwd: runnerDir, stdio: 'pipe' });
  return readFileSync(out, 'utf8');
}

describe.skipIf(stack === null)('Python runner on virtual time', () => {
  it('runs the scenario twice to the same bytes, and check-trace finds P13 at the failed broadcast', () => {
    const dir = mkdtempSync(join(tmpdir(), 'py-runner-'));
    const first = run(join(dir, 'a.jsonl'));
    const second = run(join(dir, 'b.jsonl'));
    expect(second).toBe(first);

    // Every entry of the runner and its recorder is of its kind's exact schema (traceKinds).
    expect(traceFileKindIssues(first)).toEqual([]);
    const parsed = parseTraceFile(first, 'a.jsonl');
    const trace = parsed.run.trace;
    const raised = trace.find(
      (e) =>
        e.action === 'handlerRaised' &&
        e.detail?.['exception'] === 'websockets.exceptions.ConnectionClosedError',
    );
    expect(raised?.conn).toBe('c1');
    const by = trace[raised?.detail?.['raisedBy'] as number];
    expect([by?.conn, by?.actor, by?.action, by?.message]).toEqual([
      'c3',
      'net',
      'sendFailed',
      'websocket.send',
    ]);
    expect(trace.at(-1)?.action).toBe('settled');

    const p13 = checkTraceFile(parsed).find((v) => v.id === 'P13');
    expect(p13?.status).toBe('violated');
    expect(p13?.message).toContain(
      `from the websocket.send on c3 (another connection) that raised at step ${by?.i}`,
    );
  });
});
