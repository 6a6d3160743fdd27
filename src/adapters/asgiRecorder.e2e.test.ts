import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { checkTraceFile } from '../check/checkTraceFile.ts';
import type { PropertyVerdict } from '../check/propertyTypes.ts';
import { parseTraceFile } from '../check/traceFile.ts';

// End to end with the real Python stack: Debian's Starlette 0.26.1 and uvicorn 0.17.6 under
// /usr/bin/python3 (not the first python3 on PATH), the recorder of adapters/python, real
// ws clients on 127.0.0.1, and check-trace's checkers on the recorded trace.
// WS_LIFECYCLE_PYTHON overrides the interpreter (e.g. to see the skip message).
const python = process.env['WS_LIFECYCLE_PYTHON'] ?? '/usr/bin/python3';
const app = new URL('../../adapters/python/examples/chat_app.py', import.meta.url).pathname;
const probe = spawnSync(
  python,
  ['-c', 'import starlette, uvicorn, websockets; print(starlette.__version__, uvicorn.__version__)'],
  {
    encoding: 'utf8',
  },
);
const versions = probe.status === 0 ? probe.stdout.trim().split(' ') : null;
const required = process.env['WS_LIFECYCLE_REQUIRE_PYTHON'] === '1';
if (versions === null) {
  const why = `ASGI end-to-end test SKIPPED: ${python} cannot import starlette, uvicorn and websockets (apt-get install -y python3-starlette python3-uvicorn python3-websockets)`;
  if (required) throw new Error(`${why}; WS_LIFECYCLE_REQUIRE_PYTHON=1 requires it`);
  console.warn(why);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function listening(port: number, child: ChildProcess): Promise<void> {
  for (let k = 0; k < 200; k++) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
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
  const port = await freePort();
  const file = join(mkdtempSync(join(tmpdir(), 'asgi-e2e-')), `${variant}.jsonl`);
  const child = spawn(python, [app, variant, String(port), file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await listening(port, child).catch((error: Error) => {
      throw new Error(`${error.message}; the app said: ${stderr.slice(-500)}`);
    });
    await workload(port, 12);
  } finally {
    child.kill('SIGINT'); // uvicorn shuts down gracefully; the recorder then closes its file
    await exited;
  }
  console.log(
    `ASGI end-to-end ran: ${variant} on uvicorn ${versions?.[1]} / starlette ${versions?.[0]} (${python})`,
  );
  return checkTraceFile(parseTraceFile(readFileSync(file, 'utf8'), file));
}

function statusOf(verdicts: readonly PropertyVerdict[], id: string): string | undefined {
  return verdicts.find((v) => v.id === id)?.status;
}

describe.skipIf(versions === null)('ASGI recorder on real uvicorn + Starlette', () => {
  it('the naive endpoint shows P3 and P13 with Starlette own error text', async () => {
    const verdicts = await recordRun('naive');
    const p3 = verdicts.find((v) => v.id === 'P3');
    const p13 = verdicts.find((v) => v.id === 'P13');
    expect(p3?.status).toBe('violated');
    expect(p3?.message).toContain('WebSocket is not connected. Need to call "accept" first.');
    expect(p13?.status).toBe('violated');
    expect(p13?.message).toMatch(
      /RuntimeError "(Cannot call "send" once a close message has been sent\.|WebSocket is not connected\. Need to call "accept" first\.)"/,
    );
    expect(statusOf(verdicts, 'P2')).toBe('violated');
  });

  it('the fixed endpoint holds every property that applies', async () => {
    const verdicts = await recordRun('fixed');
    expect(verdicts.filter((v) => v.status === 'violated').map((v) => `${v.id}: ${v.message}`)).toEqual([]);
    for (const id of ['P2', 'P3', 'P7', 'P11', 'P13']) expect(statusOf(verdicts, id)).toBe('held');
  });
});
