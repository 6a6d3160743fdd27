/**
 * Load on loopback: N real `ws` clients on 127.0.0.1 against `ws-lifecycle/ws`, with a
 * seeded workload (emits and bursts, peer closes, abrupt socket destroys, slow readers).
 * The server's trace is recorded, then checked by the same properties as a simulated run.
 * Bounded in connections, events and wall time; it stops by itself.
 */
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { checkTraceFile } from '../src/judge/checkTraceFile.ts';
import type { PropertyId, PropertyStatus } from '../src/properties/propertyTypes.ts';
import { parseTraceFile } from '../src/trace/traceFile.ts';
import { createLifecycleServer } from '../src/adapters/ws/index.ts';
import type { Outcome } from '../src/core/types.ts';
import { Prng } from '../src/sim/prng.ts';

/** What one load run does. */
export interface LoadOptions {
  readonly connections: number;
  readonly seed: number;
  /** Events emitted in all (bursts of 1..8 to random live connections). */
  readonly events: number;
  /** Per mille of clients that destroy their socket without a close frame (default 100). */
  readonly abruptPerMille?: number;
  /** Per mille of clients that close with 1000 mid-run (default 100). */
  readonly peerClosePerMille?: number;
  /** Per mille of clients that stop reading for a while (default 100). */
  readonly slowPerMille?: number;
  /** Wall-clock bound of the whole run; past it every socket is destroyed and the run is reported aborted. */
  readonly maxMs: number;
}

/** What a load run measured. */
export interface LoadReport {
  readonly connections: number;
  readonly connectMs: number;
  readonly connectionsPerSec: number;
  readonly emitted: number;
  readonly outcomes: Readonly<Record<string, number>>;
  readonly emitMs: number;
  readonly eventsPerSec: number;
  /** From `emit` to its `delivered` outcome (the frame written to the kernel), every connection. */
  readonly emitToWireMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** The same without the slow readers. */
  readonly emitToWireMsNotSlow: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
  readonly peakBufferedBytes: number;
  readonly abrupt: number;
  readonly peerClosed: number;
  readonly slow: number;
  readonly traceEntries: number;
  readonly verdicts: Readonly<Partial<Record<PropertyId, PropertyStatus>>>;
  readonly violations: readonly string[];
  readonly aborted: boolean;
}

type Role = 'normal' | 'abrupt' | 'peerClose' | 'slow';

interface Client {
  readonly ws: WebSocket;
  readonly role: Role;
  /** The event count after which the client acts (close, destroy). */
  readonly actAfter: number;
  received: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function rawSocket(ws: WebSocket): { pause(): void; resume(): void; destroy(): void } {
  // ws keeps the net.Socket private; pausing it is what a slow browser looks like to the server.
  return (ws as unknown as { _socket: { pause(): void; resume(): void; destroy(): void } })._socket;
}

function open(port: number, user: string): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/?user=${user}`);
  ws.on('error', () => undefined); // abrupt ends and refusals are part of the workload
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('close', () => reject(new Error(`client ${user} closed before open`)));
  });
}

function roleOf(rng: Prng, options: LoadOptions): Role {
  const draw = rng.below(1000);
  const abrupt = options.abruptPerMille ?? 100;
  const peer = options.peerClosePerMille ?? 100;
  const slow = options.slowPerMille ?? 100;
  if (draw < abrupt) return 'abrupt';
  if (draw < abrupt + peer) return 'peerClose';
  if (draw < abrupt + peer + slow) return 'slow';
  return 'normal';
}

/** Frames to slow readers are large, so their kernel buffers fill and backpressure shows. */
const slowPad = 'x'.repeat(128 * 1024);

const eventTypes = ['agent_thinking', 'agent_thinking', 'tool_executing', 'partial_result', 'agent_started'];

/**
 * Runs one load. Not pure: real sockets on 127.0.0.1 only, real time.
 *
 * @example
 * const report = await runLoad({ connections: 50, seed: 1, events: 2000, maxMs: 20_000 });
 */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const rng = Prng.fromSeed(options.seed).derive('load');
  const authDelay = Prng.fromSeed(options.seed).derive('auth');
  const traceFile = join(tmpdir(), `ws-lifecycle-load-${process.pid}-${options.seed}.jsonl`);
  let peakRss = 0;
  let peakHeap = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const sampler = setInterval(sample, 20);
  let aborted = false;
  const connOfUser = new Map<string, string>();
  const greetings: Promise<void>[] = [];
  const server = await createLifecycleServer({
    host: '127.0.0.1',
    capacity: 16,
    maxInFlight: 4,
    deadlines: { closeHandshakeMs: 500 },
    // An auth service answering in 0-15 ms, so agents' first events meet connections not yet ready.
    authenticate: async ({ request }) => {
      await new Promise((r) => setTimeout(r, authDelay.below(16)));
      const user = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('user');
      return user === null ? { ok: false, reason: 'no user' } : { ok: true, userId: user };
    },
    trace: traceFile,
    onConnection: ({ connId, request }) => {
      const user = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('user') ?? '';
      connOfUser.set(user, connId);
      // An agent's first event, emitted before the connection is even accepted: it waits in
      // the core's buffer until the connection is ready (P1, P5 exercised).
      const greeting = server.emit(connId, { type: 'agent_started', payload: { greeting: true } });
      greetings.push(greeting.then(() => undefined));
    },
  });
  const { port } = server.address();
  const clients: Client[] = [];
  const deadline = setTimeout(() => {
    aborted = true;
    for (const c of clients) rawSocket(c.ws).destroy();
  }, options.maxMs);

  // Connect in waves of 100 so the listen backlog (511) never overflows.
  const t0 = performance.now();
  for (let k = 0; k < options.connections && !aborted; k += 100) {
    const wave = Math.min(100, options.connections - k);
    const sockets = await Promise.all(Array.from({ length: wave }, (_, j) => open(port, `u${k + j + 1}`)));
    for (const ws of sockets) {
      const role = roleOf(rng, options);
      const client: Client = { ws, role, actAfter: 1 + rng.below(8), received: 0 };
      ws.on('message', () => {
        client.received += 1;
      });
      if (role === 'slow') rawSocket(ws).pause();
      clients.push(client);
    }
  }
  // Every connection ready: its greeting is delivered (or settled).
  await Promise.all(greetings);
  const connectMs = performance.now() - t0;

  const ids = clients.map((_, k) => connOfUser.get(`u${k + 1}`) as string);
  const latencies: number[] = [];
  // Without the slow readers, whose frames wait on purpose until they read again.
  const readerLatencies: number[] = [];
  const outcomes: Record<string, number> = {};
  const pending: Promise<void>[] = [];
  let emitted = 0;
  let abrupt = 0;
  let peerClosed = 0;
  const sentTo = new Map<string, number>();
  const t1 = performance.now();
  while (emitted < options.events && !aborted) {
    const k = rng.below(ids.length);
    const conn = ids[k] as string;
    const client = clients[k] as Client;
    const burst = 1 + rng.below(8);
    for (let b = 0; b < burst && emitted < options.events; b++, emitted++) {
      const type = eventTypes[rng.below(eventTypes.length)] as string;
      const start = performance.now();
      pending.push(
        server
          .emit(conn, { type, payload: { n: emitted, pad: client.role === 'slow' ? slowPad : '' } })
          .then((outcome: Outcome) => {
            outcomes[outcome.kind] = (outcomes[outcome.kind] ?? 0) + 1;
            if (outcome.kind !== 'delivered') return;
            latencies.push(performance.now() - start);
            if (client.role !== 'slow') readerLatencies.push(performance.now() - start);
          }),
      );
    }
    const count = (sentTo.get(conn) ?? 0) + burst;
    sentTo.set(conn, count);
    if (count >= client.actAfter * 4 && client.ws.readyState === WebSocket.OPEN) {
      if (client.role === 'abrupt') {
        rawSocket(client.ws).destroy();
        abrupt += 1;
      } else if (client.role === 'peerClose') {
        client.ws.close(1000, 'done');
        peerClosed += 1;
      } else if (client.role === 'slow' && count >= client.actAfter * 8) {
        rawSocket(client.ws).resume();
      }
    }
    // Yield now and then, so the sockets make progress while the agents emit.
    if (emitted % 64 < burst) await new Promise((r) => setImmediate(r));
  }
  for (const c of clients) if (c.role === 'slow') rawSocket(c.ws).resume();
  await Promise.all(pending);
  const emitMs = performance.now() - t1;
  sample();
  const peakBufferedBytes = server.stats().peakBufferedBytes;
  await server.close();
  clearTimeout(deadline);
  clearInterval(sampler);
  for (const c of clients) c.ws.terminate();

  const file = parseTraceFile(await readFile(traceFile, 'utf8'), traceFile);
  await rm(traceFile, { force: true });
  const verdicts = checkTraceFile(file);
  latencies.sort((a, b) => a - b);
  readerLatencies.sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    connections: clients.length,
    connectMs: round(connectMs),
    connectionsPerSec: Math.round((clients.length / connectMs) * 1000),
    emitted,
    outcomes,
    emitMs: round(emitMs),
    eventsPerSec: Math.round(((outcomes['delivered'] ?? 0) / emitMs) * 1000),
    emitToWireMs: {
      p50: round(percentile(latencies, 50)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies[latencies.length - 1] ?? 0),
    },
    emitToWireMsNotSlow: {
      p50: round(percentile(readerLatencies, 50)),
      p99: round(percentile(readerLatencies, 99)),
      max: round(readerLatencies[readerLatencies.length - 1] ?? 0),
    },
    peakRssMb: Math.round(peakRss / 2 ** 20),
    peakHeapMb: Math.round(peakHeap / 2 ** 20),
    peakBufferedBytes,
    abrupt,
    peerClosed,
    slow: clients.filter((c) => c.role === 'slow').length,
    traceEntries: file.run.trace.length,
    verdicts: Object.fromEntries(verdicts.map((v) => [v.id, v.status])),
    violations: verdicts.filter((v) => v.status === 'violated').map((v) => `${v.id}: ${v.message}`),
    aborted,
  };
}
