import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { checkTraceFile } from '../check/checkTraceFile.ts';
import type { PropertyVerdict } from '../check/propertyTypes.ts';
import { parseTraceFile } from '../check/traceFile.ts';
import { python, pythonStack, startPythonApp } from './pythonApp.ts';

// End to end with the real Python stack: Debian's Starlette 0.26.1 and uvicorn 0.17.6 under
// /usr/bin/python3 (not the first python3 on PATH), the recorder of adapters/python, real
// ws clients on 127.0.0.1, and check-trace's checkers on the recorded trace.
const app = new URL('../../adapters/python/examples/chat_app.py', import.meta.url).pathname;
const stack = pythonStack();
if (stack === null) {
  const why = `ASGI end-to-end test SKIPPED: ${python} cannot import starlette, uvicorn and websockets (apt-get install -y python3-starlette python3-uvicorn python3-websockets)`;
  if (process.env['WS_LIFECYCLE_REQUIRE_PYTHON'] === '1')
    throw new Error(`${why}; WS_LIFECYCLE_REQUIRE_PYTHON=1 requires it`);
  console.warn(why);
}

/** Clients that chat (a message every ms) until the server's cleanup closes them, or vanish. */
function workload(port: number, clients: number): Promise<void[]> {
  return Promise.all(
    Array.from(
      { length: clients },
      (_, k) =>
        new Promise<void>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?user=u${k + 1}&closeAfterMs=${20 + k * 7}`);
          let timer: NodeJS.Timeout | undefined;
          ws.on('open', () => {
            timer = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('hello'), 1);
            // Every fourth client vanishes without a close frame (a dropped network).
            if (k % 4 === 3)
              setTimeout(() => (ws as unknown as { _socket: { destroy(): void } })._socket.destroy(), 10);
          });
          ws.on('close', () => {
            clearInterval(timer);
            resolve();
          });
          ws.on('error', () => resolve());
        }),
    ),
  );
}

async function recordRun(variant: 'naive' | 'fixed'): Promise<PropertyVerdict[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'asgi-e2e-')), `${variant}.jsonl`);
  const server = await startPythonApp(app, (port) => [variant, String(port), file]);
  try {
    await workload(server.port, 12);
  } finally {
    await server.stop(); // uvicorn shuts down gracefully; the recorder then closes its file
  }
  console.log(
    `ASGI end-to-end ran: ${variant} on uvicorn ${stack?.uvicorn} / starlette ${stack?.starlette} (${python})`,
  );
  return checkTraceFile(parseTraceFile(readFileSync(file, 'utf8'), file));
}

function statusOf(verdicts: readonly PropertyVerdict[], id: string): string | undefined {
  return verdicts.find((v) => v.id === id)?.status;
}

describe.skipIf(stack === null)('ASGI recorder on real uvicorn + Starlette', () => {
  it('the naive endpoint shows P3 and P13 with Starlette own error text', async () => {
    const verdicts = await recordRun('naive');
    const p3 = verdicts.find((v) => v.id === 'P3');
    const p13 = verdicts.find((v) => v.id === 'P13');
    expect(p3?.status).toBe('violated');
    expect(p3?.message).toContain('WebSocket is not connected. Need to call "accept" first.');
    expect(p13?.status).toBe('violated');
    // Which error the real stack raises first depends on timing: Starlette's own text, or
    // uvicorn's when Starlette's state check passed and the server refused the message.
    expect(p13?.message).toMatch(
      /RuntimeError "(Cannot call "send" once a close message has been sent\.|WebSocket is not connected\. Need to call "accept" first\.|Unexpected ASGI message 'websocket\.send', after sending 'websocket\.close'\.)"/,
    );
    expect(statusOf(verdicts, 'P2')).toBe('violated');
  });

  it('the fixed endpoint holds every property that applies', async () => {
    const verdicts = await recordRun('fixed');
    expect(verdicts.filter((v) => v.status === 'violated').map((v) => `${v.id}: ${v.message}`)).toEqual([]);
    for (const id of ['P2', 'P3', 'P7', 'P11', 'P13']) expect(statusOf(verdicts, id)).toBe('held');
  });
});
