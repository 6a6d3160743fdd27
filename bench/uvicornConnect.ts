/**
 * `npx tsx bench/uvicornConnect.ts [connections]`: measures, on real uvicorn 0.17.6 (Debian,
 * /usr/bin/python3) on 127.0.0.1, when `websocket.connect` reaches the app relative to the
 * client's upgrade request and to the handshake (the client's `open`), with the accept sent
 * at once and 50 ms late. Prints medians and ranges in ms, and event-loop turns.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { startPythonApp } from '../src/adapters/pythonApp.ts';

const script = fileURLToPath(new URL('../adapters/python/examples/connect_timing.py', import.meta.url));
const count = Number(process.argv[2] ?? 40);

interface Timing {
  called: number;
  connect: number;
  acceptCalled: number;
  acceptReturned: number;
  turnsToConnect: number;
  turnsToAcceptReturn: number;
}

const wall = (): number => performance.timeOrigin + performance.now();

function once(
  port: number,
  acceptDelayMs: number,
): Promise<Timing & { request: number; open: number; message: number }> {
  return new Promise((resolve, reject) => {
    const request = wall();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/?acceptDelayMs=${acceptDelayMs}`);
    let open = 0;
    ws.once('open', () => (open = wall()));
    ws.once('message', (data) => {
      const message = wall();
      ws.close(1000);
      resolve({ ...(JSON.parse(data.toString()) as Timing), request, open, message });
    });
    ws.once('error', reject);
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (xs: number[]): string =>
  `median ${median(xs).toFixed(3)}  min ${Math.min(...xs).toFixed(3)}  max ${Math.max(...xs).toFixed(3)}`;

const app = await startPythonApp(script, (port) => [String(port)]);
try {
  for (const delay of [0, 50]) {
    const runs = [];
    for (let k = 0; k < count; k++) runs.push(await once(app.port, delay));
    console.log(`accept sent ${delay} ms after websocket.connect (${count} connections, sequential):`);
    console.log(`  request -> app called          ${fmt(runs.map((r) => r.called - r.request))}`);
    console.log(`  app called -> connect returned ${fmt(runs.map((r) => r.connect - r.called))}`);
    console.log(`  turns, app called -> connect   ${fmt(runs.map((r) => r.turnsToConnect))}`);
    console.log(`  request -> connect             ${fmt(runs.map((r) => r.connect - r.request))}`);
    console.log(`  connect -> client open         ${fmt(runs.map((r) => r.open - r.connect))}`);
    console.log(`  accept called -> client open   ${fmt(runs.map((r) => r.open - r.acceptCalled))}`);
    console.log(
      `  accept called -> returned      ${fmt(runs.map((r) => r.acceptReturned - r.acceptCalled))}`,
    );
    console.log(`  turns, app called -> accept returned ${fmt(runs.map((r) => r.turnsToAcceptReturn))}`);
  }
} finally {
  await app.stop();
}
