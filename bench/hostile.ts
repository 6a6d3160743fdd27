/**
 * `npx tsx bench/hostile.ts [connections] [closeTimeoutMs] [maxPayload] [closeHandshakeMs]`:
 * hostile clients on loopback against `ws-lifecycle/ws` (default limits unless given; a
 * closeHandshakeMs of 0 disables the core's own close deadline, so only closeTimeoutMs ends
 * the paused readers' connections), in four equal groups:
 * idle TCP sockets that never send a byte, slowloris upgrade requests (one byte per socket
 * every 200 ms, never finished), clients sending one 1 MiB message (over the 64 KiB default
 * `maxPayload`), and upgraded clients that stop reading while the server broadcasts 80
 * events of 64 KiB. Then `close()`. The clients run in a child process, so the RSS printed
 * is the server's. Prints the setup, the close time, RSS before and after, how the oversized
 * senders were closed, and the verdicts of the recorded trace; exits 1 when close() took
 * longer than its deadline plus 1 s, the trace does not end with harness/settled, or a
 * property is violated. Bounded: the child is killed at the end.
 */
import { fork } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { createLifecycleServer } from '../src/adapters/ws/index.ts';
import { checkTraceFile } from '../src/judge/checkTraceFile.ts';
import { parseTraceFile } from '../src/trace/traceFile.ts';

/** What the client process reports once every group is in place. */
interface Ready {
  readonly paused: number;
  readonly oversizedCloseCodes: Record<string, number>;
  readonly setupMs: number;
}

const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);

/** `n` connections opened `make` at a time in waves of 100 (the listen backlog is 511). */
async function waves<T>(n: number, make: () => Promise<T>): Promise<T[]> {
  const made: T[] = [];
  for (let k = 0; k < n; k += 100)
    made.push(...(await Promise.all(Array.from({ length: Math.min(100, n - k) }, make))));
  return made;
}

async function clients(port: number, connections: number): Promise<void> {
  const group = Math.floor(connections / 4);
  const tcp = (): Promise<Socket> => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    return new Promise((resolve) => socket.once('connect', () => resolve(socket)));
  };
  const client = (): Promise<WebSocket> => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    ws.on('error', () => undefined);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(ws));
      ws.once('close', () => reject(new Error('closed before open')));
    });
  };
  const t0 = performance.now();
  await waves(group, tcp); // idle
  const slowloris = await waves(group, tcp);
  const request = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n';
  let dripped = 0;
  setInterval(() => {
    const byte = request.charAt(dripped++ % request.length);
    for (const s of slowloris) if (!s.destroyed) s.write(byte);
  }, 200);
  const oversized = await waves(group, client);
  const codes: Record<string, number> = {};
  const closed = oversized.map(
    (ws) =>
      new Promise<void>((resolve) =>
        ws.once('close', (code) => {
          codes[code] = (codes[code] ?? 0) + 1;
          resolve();
        }),
      ),
  );
  const blob = Buffer.alloc(2 ** 20, 0x61);
  for (const ws of oversized) ws.send(blob);
  // Past maxPayload the server closes them; under it they stay open: wait 2 s at most.
  await Promise.race([Promise.all(closed), new Promise((r) => setTimeout(r, 2000))]);
  const paused = await waves(connections - 3 * group, client);
  for (const ws of paused) (ws as unknown as { _socket: Socket })._socket.pause();
  const ready: Ready = { paused: paused.length, oversizedCloseCodes: codes, setupMs: performance.now() - t0 };
  process.send?.(ready);
}

async function serve(
  connections: number,
  closeTimeoutMs: number,
  maxPayload: number | undefined,
  closeHandshakeMs: number | undefined,
): Promise<void> {
  const group = Math.floor(connections / 4);
  const traceFile = join(tmpdir(), `ws-lifecycle-hostile-${process.pid}.jsonl`);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const rssAtStart = process.memoryUsage().rss;
  const server = await createLifecycleServer({
    closeTimeoutMs,
    ...(maxPayload === undefined ? {} : { maxPayload }),
    ...(closeHandshakeMs === undefined ? {} : { deadlines: { closeHandshakeMs } }),
    trace: traceFile,
  });
  const child = fork(
    fileURLToPath(import.meta.url),
    ['clients', String(server.address().port), String(connections)],
    {
      execArgv: ['--import', 'tsx'],
    },
  );
  const ready = await new Promise<Ready>((resolve) => child.once('message', (m) => resolve(m as Ready)));
  const pad = 'x'.repeat(64 * 1024);
  for (let k = 0; k < 80; k++) {
    void server.broadcast({ type: 'agent_thinking', payload: { k, pad } });
    await new Promise((r) => setTimeout(r, 5));
  }
  await new Promise((r) => setTimeout(r, 300));
  const before = process.memoryUsage();
  const stats = server.stats();
  const t1 = performance.now();
  await server.close();
  const closeMs = performance.now() - t1;
  const after = process.memoryUsage();
  clearInterval(sampler);
  child.kill('SIGKILL');

  const file = parseTraceFile(await readFile(traceFile, 'utf8'), traceFile);
  await rm(traceFile, { force: true });
  const verdicts = checkTraceFile(file);
  const violations = verdicts.filter((v) => v.status === 'violated').map((v) => `${v.id}: ${v.message}`);
  const last = file.run.trace.at(-1);
  const lastEntry = `${last?.actor}/${last?.action}`;
  const figures = {
    idle: group,
    slowloris: group,
    oversized: group,
    paused: ready.paused,
    setupMs: Math.round(ready.setupMs),
    oversizedCloseCodes: ready.oversizedCloseCodes,
    openAtClose: stats.open,
    peakBufferedBytes: stats.peakBufferedBytes,
    serverRssMbAtStart: mb(rssAtStart),
    serverRssMbBeforeClose: mb(before.rss),
    serverHeapMbBeforeClose: mb(before.heapUsed),
    serverPeakRssMb: mb(peakRss),
    closeTimeoutMs,
    closeMs: Math.round(closeMs),
    serverRssMbAfterClose: mb(after.rss),
    traceEntries: file.run.trace.length,
    lastEntry,
  };
  const limits = `maxPayload ${maxPayload ?? 'default'}, closeHandshakeMs ${closeHandshakeMs ?? 'default'}`;
  console.log(`hostile clients on 127.0.0.1: ${connections} connections, ${limits}`);
  for (const [key, value] of Object.entries(figures))
    console.log(`  ${key.padEnd(24)} ${JSON.stringify(value)}`);
  console.log(`  verdicts                 ${verdicts.map((v) => `${v.id} ${v.status}`).join(', ')}`);
  for (const v of violations) console.log(`  VIOLATED ${v}`);
  const ok = closeMs < closeTimeoutMs + 1000 && lastEntry === 'harness/settled' && violations.length === 0;
  console.log(ok ? 'close() within its deadline, trace settled, no violation' : 'FAILED');
  process.exitCode = ok ? 0 : 1;
}

const args = process.argv.slice(2);
if (args[0] === 'clients') await clients(Number(args[1]), Number(args[2]));
else {
  const [connections = 1000, closeTimeoutMs = 5000, maxPayload, closeHandshakeMs] = args.map(Number);
  await serve(connections, closeTimeoutMs, maxPayload, closeHandshakeMs);
}
