import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { pythonStack, startPythonApp } from './pythonApp.ts';

// When websocket.connect reaches an app under real uvicorn (Debian 0.17.6, websockets
// implementation): what the simulation's handshake model must match. Skips like the ASGI
// end-to-end test when the stack is missing.
const script = new URL('../../adapters/python/examples/connect_timing.py', import.meta.url).pathname;
const stack = pythonStack();

interface Timing {
  readonly connect: number;
  readonly turnsToConnect: number;
  readonly turnsToAcceptReturn: number;
  readonly open: number;
}

function connectOnce(port: number, acceptDelayMs: number): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/?acceptDelayMs=${acceptDelayMs}`);
    let open = 0;
    ws.once('open', () => (open = performance.timeOrigin + performance.now()));
    ws.once('message', (data) => {
      ws.close(1000);
      resolve({ ...(JSON.parse(data.toString()) as Omit<Timing, 'open'>), open });
    });
    ws.once('error', reject);
  });
}

describe.skipIf(stack === null)('websocket.connect under uvicorn', () => {
  it('reaches the app on its first receive with no loop turn, and the handshake waits for accept', async () => {
    const app = await startPythonApp(script, (port) => [String(port)]);
    try {
      const prompt: Timing[] = [];
      for (let k = 0; k < 5; k++) prompt.push(await connectOnce(app.port, 0));
      // Called by uvicorn once the upgrade request is read, connect is already there, and
      // accept() returns without yielding: no turn for another task in between.
      expect(prompt.map((t) => [t.turnsToConnect, t.turnsToAcceptReturn])).toEqual(prompt.map(() => [0, 0]));
      const late = await connectOnce(app.port, 50);
      // The 101 response is written only after the app's accept: the client opens >= 50 ms
      // after the app received websocket.connect.
      expect(late.open - late.connect).toBeGreaterThanOrEqual(45);
    } finally {
      await app.stop();
    }
  });
});
