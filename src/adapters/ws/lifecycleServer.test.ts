import FakeTimers from '@sinonjs/fake-timers';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { checkTraceFile } from '../../judge/checkTraceFile.ts';
import { parseTraceFile } from '../../trace/traceFile.ts';
import { traceFileKindIssues } from '../../trace/traceKinds.ts';
import { defaultConfig } from '../../core/index.ts';
import type { Outcome } from '../../core/types.ts';
import { createLifecycleServer, requestPath, type LifecycleServer } from './lifecycleServer.ts';
import type { LifecycleServerOptions } from './options.ts';

const servers: LifecycleServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function start(
  options: LifecycleServerOptions = {},
): Promise<{ server: LifecycleServer; lines: string[] }> {
  const lines: string[] = [];
  const server = await createLifecycleServer({ ...options, trace: { write: (l) => void lines.push(l) } });
  servers.push(server);
  return { server, lines };
}

interface Client {
  readonly ws: WebSocket;
  readonly frames: unknown[];
  readonly closed: Promise<{ code: number; reason: string }>;
}

function connect(server: LifecycleServer, query = ''): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.address().port}/${query}`);
  const frames: unknown[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, frames, closed }));
    ws.once('error', reject);
  });
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let k = 0; k < 400 && !condition(); k++) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

// The violated properties, after every entry not of its kind's exact schema (traceKinds).
function violated(lines: readonly string[]): string[] {
  const file = parseTraceFile(lines.join(''), 'adapter.jsonl');
  const verdicts = checkTraceFile(file).filter((v) => v.status === 'violated');
  return [...traceFileKindIssues(lines.join('')), ...verdicts.map((v) => `${v.id}: ${v.message}`)];
}

describe('ws-lifecycle/ws', () => {
  it('delivers events in order with seq 1..n, reports each outcome, and its trace holds', async () => {
    const { server, lines } = await start({ authenticate: async () => ({ ok: true, userId: 'u1' }) });
    const client = await connect(server);
    const [conn] = server.connections();
    expect(conn).toBeDefined();
    const outcomes = await Promise.all(
      [1, 2, 3].map((k) => server.emit(conn as string, { type: 'agent_thinking', payload: { k } })),
    );
    expect(outcomes).toEqual([1, 2, 3].map((seq) => ({ kind: 'delivered', seq })));
    await until(() => client.frames.length === 3, 'three frames');
    expect(client.frames.map((f) => (f as { seq: number }).seq)).toEqual([1, 2, 3]);
    await server.close();
    expect(await client.closed).toEqual({ code: 1001, reason: 'server going away' });
    expect(violated(lines)).toEqual([]);
    const verdicts = checkTraceFile(parseTraceFile(lines.join(''), 'adapter.jsonl'));
    expect(verdicts.find((v) => v.id === 'P7')?.status).toBe('held');
    expect(verdicts.find((v) => v.id === 'P8')?.status).toBe('held');
  });

  it('closes with 1008 once authentication outlives authTimeoutMs, the adapter real timers on a fake clock', async () => {
    // Only setTimeout/clearTimeout are faked: sockets, setImmediate and I/O stay real.
    const clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let asked = false;
      const { server, lines } = await start({
        authenticate: () => {
          asked = true;
          return new Promise(() => {});
        },
      });
      const client = await connect(server);
      for (let k = 0; k < 1000 && !asked; k++) await new Promise((r) => setImmediate(r));
      expect(asked).toBe(true);
      await clock.tickAsync(defaultConfig.authTimeoutMs - 1);
      expect(client.ws.readyState).toBe(WebSocket.OPEN);
      await clock.tickAsync(1);
      expect((await client.closed).code).toBe(1008);
      expect(violated(lines)).toEqual([]);
    } finally {
      clock.uninstall();
    }
  });

  it('closes with 1008 when authenticate refuses, and settles buffered events as undeliverable', async () => {
    const { server, lines } = await start({ authenticate: async () => ({ ok: false, reason: 'bad token' }) });
    const client = await connect(server);
    expect((await client.closed).code).toBe(1008);
    expect(client.frames).toEqual([]);
    await server.close();
    expect(violated(lines)).toEqual([]);
  });

  it('buffers events until prepare resolves, then flushes them in order', async () => {
    let release: () => void = () => undefined;
    const prepared = new Promise<void>((r) => (release = r));
    const { server } = await start({ prepare: () => prepared });
    const client = await connect(server);
    const conn = server.connections()[0] as string;
    const pending = [server.emit(conn, { type: 'a' }), server.emit(conn, { type: 'b' })];
    await new Promise((r) => setTimeout(r, 20));
    expect(client.frames).toEqual([]);
    release();
    expect((await Promise.all(pending)).map((o) => o.kind)).toEqual(['delivered', 'delivered']);
    await until(() => client.frames.length === 2, 'two frames');
  });

  it('a slow reader never grows the socket buffer: events past the buffer are dropped, critical ones kept', async () => {
    const frameBytes = 256 * 1024;
    const { server, lines } = await start({ capacity: 4, maxInFlight: 2 });
    const client = await connect(server);
    const conn = server.connections()[0] as string;
    // The client stops reading: the kernel buffers fill, then the writes wait.
    const raw = (client.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause();
    const blob = 'x'.repeat(frameBytes);
    const emits: Promise<Outcome>[] = [];
    // Emitted over time, so the writes keep coming until the kernel buffers are full.
    for (let k = 0; k < 200; k++) {
      const type = k % 50 === 0 ? 'agent_started' : 'agent_thinking';
      emits.push(server.emit(conn, { type, payload: { blob } }));
      await new Promise((r) => setImmediate(r));
    }
    await until(() => server.stats().peakBufferedBytes > 0, 'a write waiting on the reader');
    await new Promise((r) => setTimeout(r, 50));
    // At most maxInFlight frames sit in ws's buffer, whatever was emitted.
    expect(server.stats().peakBufferedBytes).toBeLessThanOrEqual(2 * (frameBytes + 200));
    raw.resume();
    const outcomes = await Promise.all(emits);
    const kinds = new Set(outcomes.map((o) => o.kind));
    expect(kinds.has('dropped')).toBe(true);
    // Every critical event (k % 50 === 0) was delivered.
    expect([0, 50, 100, 150].map((k) => outcomes[k]?.kind)).toEqual([
      'delivered',
      'delivered',
      'delivered',
      'delivered',
    ]);
    await server.close();
    expect(violated(lines)).toEqual([]);
  });

  it('an abrupt disconnect settles the connection; later emits are refused openly', async () => {
    const { server, lines } = await start();
    const client = await connect(server);
    const conn = server.connections()[0] as string;
    expect((await server.emit(conn, { type: 'a' })).kind).toBe('delivered');
    client.ws.terminate();
    await until(() => server.connections().length === 0, 'the server to see the loss');
    expect(await server.emit(conn, { type: 'b' })).toEqual({ kind: 'refused', reason: 'closed' });
    await server.close();
    expect(violated(lines)).toEqual([]);
  });

  it('a heartbeat answered with pong:<nonce> keeps the connection; unanswered it closes with 1011', async () => {
    const { server } = await start({ heartbeat: { intervalMs: 20, missedPongLimit: 2 } });
    const answering = await connect(server);
    answering.ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { kind: string; nonce?: number };
      if (frame.kind === 'ping') answering.ws.send(`pong:${frame.nonce}`);
    });
    const silent = await connect(server);
    expect((await silent.closed).code).toBe(1011);
    expect(answering.ws.readyState).toBe(WebSocket.OPEN);
  });
});

describe('ws-lifecycle/ws broadcast and close', () => {
  it('broadcast gives each open connection its own copy and outcome; closeConnection uses the app code', async () => {
    const users = ['u1', 'u2'];
    const { server, lines } = await start({
      authenticate: async () => ({ ok: true, userId: users.shift() ?? 'u?' }),
    });
    const a = await connect(server);
    const b = await connect(server);
    const results = await server.broadcast({ id: 'b1', type: 'agent_completed' });
    expect(results.map((r) => [r.eventId, r.outcome.kind]).sort()).toEqual([
      ['b1.c1', 'delivered'],
      ['b1.c2', 'delivered'],
    ]);
    await until(() => a.frames.length === 1 && b.frames.length === 1, 'one frame each');
    server.closeConnection('c1', 4000, 'done');
    expect(await a.closed).toEqual({ code: 4000, reason: 'done' });
    await server.close();
    expect(violated(lines)).toEqual([]);
  });

  it("records each connection's handler lifetime; an onMessage that throws closes only its connection with 1011 and fails P13", async () => {
    const { server, lines } = await start({
      onMessage: (_conn, data) => {
        if (data === 'boom') throw new TypeError('cannot read the message');
      },
    });
    const calm = await connect(server);
    const loud = await connect(server);
    loud.ws.send('boom');
    expect(await loud.closed).toEqual({ code: 1011, reason: 'internal error' });
    calm.ws.send('hello');
    await server.close();
    expect(await calm.closed).toEqual({ code: 1001, reason: 'server going away' });
    const entries = lines.slice(1).map(
      (l) =>
        JSON.parse(l) as {
          conn: string;
          action: string;
          errorKind?: string;
          detail?: { exception?: string };
        },
    );
    const ends = (conn: string): string[] =>
      entries.filter((e) => e.conn === conn && e.action.startsWith('handler')).map((e) => e.action);
    expect(ends('c1')).toEqual(['handlerStarted', 'handlerReturned']);
    expect(ends('c2')).toEqual(['handlerStarted', 'handlerRaised']);
    expect(entries.find((e) => e.action === 'handlerRaised')).toMatchObject({
      errorKind: 'Error',
      detail: { exception: 'TypeError' },
    });
    const found = violated(lines);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^P13: c2: its handler raised TypeError "cannot read the message" \(t=/);
  });

  it('rejects a bad option before opening any socket', async () => {
    await expect(createLifecycleServer({ capacity: 0 })).rejects.toThrow(/capacity/);
  });
});

describe('requestPath', () => {
  it('decodes the request path, so a configured path with a space or non-ASCII character matches', () => {
    expect(requestPath('/chat%20room?user=u1')).toBe('/chat room');
    expect(requestPath('/caf%C3%A9')).toBe('/café');
    expect(requestPath(undefined)).toBe('/');
    expect(requestPath('/bad%E0%A4')).toBeNull();
  });
});
