import { connect as tcpConnect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { checkTraceFile } from '../../judge/checkTraceFile.ts';
import { parseTraceFile } from '../../trace/traceFile.ts';
import { traceFileKindIssues } from '../../trace/traceKinds.ts';
import { createLifecycleServer, type LifecycleServer } from './lifecycleServer.ts';
import type { LifecycleServerOptions } from './options.ts';

// Real sockets on 127.0.0.1 that never behave: close() must end within its deadline anyway.
const closeTimeoutMs = 300;
/** What close() may take past its deadline: terminate, the sockets' close events, the trace. */
const marginMs = 400;

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const undo of cleanup.splice(0)) undo();
});

async function start(
  options: LifecycleServerOptions = {},
): Promise<{ server: LifecycleServer; lines: string[]; late: string[] }> {
  const lines: string[] = [];
  /** Lines written after the trace was ended (a file sink would throw on them). */
  const late: string[] = [];
  let ended = false;
  const server = await createLifecycleServer({
    closeTimeoutMs,
    ...options,
    trace: {
      write: (l) => void (ended ? late : lines).push(l),
      end: async () => void (ended = true),
    },
  });
  cleanup.push(() => void server.close());
  return { server, lines, late };
}

function tcp(server: LifecycleServer): Promise<Socket> {
  const socket = tcpConnect(server.address().port, '127.0.0.1');
  socket.on('error', () => undefined);
  cleanup.push(() => socket.destroy());
  return new Promise((resolve) => socket.once('connect', () => resolve(socket)));
}

function wsClient(server: LifecycleServer): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.address().port}/`);
  ws.on('error', () => undefined);
  cleanup.push(() => ws.terminate());
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('close', () => reject(new Error('closed before open')));
  });
}

/** A client that completes the upgrade by hand, then reads and never answers anything. */
async function deafClient(server: LifecycleServer): Promise<Socket> {
  const socket = await tcp(server);
  socket.write(
    'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  await new Promise<void>((resolve) =>
    socket.on('data', (chunk: Buffer) => {
      if (chunk.toString('latin1').startsWith('HTTP/1.1 101')) resolve();
    }),
  );
  return socket;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let k = 0; k < 400 && !condition(); k++) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

/** The server ended or destroyed the socket (seen from the client). */
function cut(socket: Socket): boolean {
  return socket.readableEnded || socket.destroyed;
}

async function timedClose(server: LifecycleServer): Promise<number> {
  const t0 = performance.now();
  await server.close();
  return performance.now() - t0;
}

function entries(lines: readonly string[]): { actor: string; action: string; detail?: unknown }[] {
  return lines.slice(1).map((l) => JSON.parse(l) as { actor: string; action: string; detail?: unknown });
}

function lastAction(lines: readonly string[]): string {
  const last = entries(lines).at(-1);
  return `${last?.actor}/${last?.action}`;
}

// The violated properties, after every entry not of its kind's exact schema (traceKinds).
function violated(lines: readonly string[]): string[] {
  const verdicts = checkTraceFile(parseTraceFile(lines.join(''), 'hostile.jsonl'));
  return [
    ...traceFileKindIssues(lines.join('')),
    ...verdicts.filter((v) => v.status === 'violated').map((v) => `${v.id}: ${v.message}`),
  ];
}

describe('close() under hostile clients ends within closeTimeoutMs', () => {
  it('an idle TCP connection that never sends a byte', async () => {
    const { server, lines } = await start();
    const socket = await tcp(server);
    // Nothing to wait for: a socket that never upgraded is destroyed at once.
    expect(await timedClose(server)).toBeLessThan(closeTimeoutMs);
    await until(() => cut(socket), 'the server to cut the socket');
    expect(lastAction(lines)).toBe('harness/settled');
  });

  it('a slowloris upgrade request, one byte every 20 ms, never finished', async () => {
    const { server, lines } = await start();
    const socket = await tcp(server);
    const request = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n';
    let k = 0;
    const drip = setInterval(() => {
      if (k < request.length && !socket.destroyed) socket.write(request.charAt(k++));
    }, 20);
    cleanup.push(() => clearInterval(drip));
    await new Promise((r) => setTimeout(r, 100));
    expect(await timedClose(server)).toBeLessThan(closeTimeoutMs);
    await until(() => cut(socket), 'the server to cut the socket');
    expect(lastAction(lines)).toBe('harness/settled');
  });

  it('upgraded clients that never answer the close frame (the core close deadline disabled)', async () => {
    const { server, lines } = await start({ deadlines: { closeHandshakeMs: 0 } });
    const sockets = await Promise.all([deafClient(server), deafClient(server), deafClient(server)]);
    await until(() => server.connections().length === 3, 'three connections');
    const ms = await timedClose(server);
    expect(ms).toBeGreaterThanOrEqual(closeTimeoutMs - 5);
    expect(ms).toBeLessThan(closeTimeoutMs + marginMs);
    expect(server.connections()).toEqual([]);
    await until(() => sockets.every(cut), 'the server to cut the sockets');
    expect(lastAction(lines)).toBe('harness/settled');
    expect(violated(lines)).toEqual([]);
  });

  it('a paused reader whose socket buffers are full (the core close deadline disabled)', async () => {
    const { server, lines, late } = await start({ deadlines: { closeHandshakeMs: 0 }, maxInFlight: 2 });
    const ws = await wsClient(server);
    (ws as unknown as { _socket: Socket })._socket.pause();
    const conn = server.connections()[0] as string;
    const blob = 'x'.repeat(256 * 1024);
    for (let k = 0; k < 40; k++) {
      void server.emit(conn, { type: 'agent_started', payload: { blob } });
      await new Promise((r) => setImmediate(r));
    }
    await until(() => server.stats().peakBufferedBytes > 0, 'a write waiting on the reader');
    expect(await timedClose(server)).toBeLessThan(closeTimeoutMs + marginMs);
    expect(lastAction(lines)).toBe('harness/settled');
    // The terminated socket's pending writes report back later: nothing reaches the ended trace.
    await new Promise((r) => setTimeout(r, 50));
    expect(late).toEqual([]);
    expect(violated(lines)).toEqual([]);
  });
});

describe('limits', () => {
  it('a message over maxPayload closes with 1009, traced as the close the client received', async () => {
    const { server, lines } = await start({ maxPayload: 1024 });
    const ws = await wsClient(server);
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send('x'.repeat(1024)); // at the limit: read
    ws.send('y'.repeat(1025)); // over it
    expect(await closed).toBe(1009);
    await until(() => server.connections().length === 0, 'the connection to close');
    await server.close();
    const closes = entries(lines).filter((e) => e.actor === 'app' && e.action === 'close');
    expect(closes.map((e) => (e as { frame?: unknown }).frame)).toEqual([{ code: 1009, reason: '' }]);
    const messages = entries(lines).filter((e) => e.actor === 'client' && e.action === 'message');
    expect(messages.map((e) => e.detail)).toEqual([{ bytes: 1024 }]);
    expect(violated(lines)).toEqual([]);
  });

  it('binary frames reach onMessage as a Buffer and the trace as binary with their size', async () => {
    const received: (string | Buffer)[] = [];
    const { server, lines } = await start({ onMessage: (_conn, data) => void received.push(data) });
    const ws = await wsClient(server);
    ws.send(Buffer.from([0, 1, 2, 255]));
    ws.send('héllo');
    await until(() => received.length === 2, 'two messages');
    expect(Buffer.isBuffer(received[0])).toBe(true);
    expect([...(received[0] as Buffer)]).toEqual([0, 1, 2, 255]);
    expect(received[1]).toBe('héllo');
    await server.close();
    const messages = entries(lines).filter((e) => e.actor === 'client' && e.action === 'message');
    expect(messages.map((e) => e.detail)).toEqual([{ binary: true, bytes: 4 }, { bytes: 6 }]);
    expect(violated(lines)).toEqual([]);
  });

  it('a socket that does not complete its upgrade within upgradeTimeoutMs is destroyed', async () => {
    const { server } = await start({ upgradeTimeoutMs: 100 });
    const socket = await tcp(server);
    const t0 = performance.now();
    await new Promise((resolve) => socket.once('close', resolve));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(90);
    expect(server.stats().upgradeTimeouts).toBe(1);
    // A client that upgrades in time keeps its connection past the timeout.
    const ws = await wsClient(server);
    await new Promise((r) => setTimeout(r, 150));
    expect(ws.readyState).toBe(WebSocket.OPEN);
    await server.close();
  });

  it('past maxConnections sockets are refused, counting those not upgraded', async () => {
    const { server } = await start({ maxConnections: 2 });
    await wsClient(server);
    await tcp(server);
    await expect(wsClient(server)).rejects.toThrow();
    expect(server.connections().length).toBe(1);
    await server.close();
  });

  it('rejects a limit that is not a positive integer', async () => {
    await expect(createLifecycleServer({ maxPayload: 0 })).rejects.toThrow(/maxPayload/);
    await expect(createLifecycleServer({ closeTimeoutMs: 1.5 })).rejects.toThrow(/closeTimeoutMs/);
  });
});
