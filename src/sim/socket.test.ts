/**
 * Rules of the simulated socket against Starlette's `WebSocket` (starlette/websockets.py,
 * encode/starlette 0.47.3; the same from 0.38.4 on), including the trace entries each call
 * writes. One row per rule; each row names the Starlette code it copies. The sequences
 * checked against real Starlette are in src/sim/conformance/socketRows.ts.
 */
import { describe, expect, it } from 'vitest';
import type { NetWire } from '../trace/entry.ts';
import type { TraceRecord } from '../trace/types.ts';
import { RuntimeError, WebSocketDisconnect } from './errors.ts';
import { createRig, type Rig } from './rig.ts';
import type { SimConnection } from './server.ts';
import { notConnectedMessage, receiveAfterDisconnectMessage, sendAfterCloseMessage } from './socket.ts';

async function opened(): Promise<{ rig: Rig; conn: SimConnection }> {
  const rig = createRig();
  const conn = rig.server.open('c1', 'u1');
  if (conn === null) throw new Error('open failed');
  return { rig, conn };
}

async function accepted(): Promise<{ rig: Rig; conn: SimConnection }> {
  const { rig, conn } = await opened();
  const accepting = conn.socket.accept();
  await rig.drain();
  await accepting;
  return { rig, conn };
}

/** Settles a promise into a value or the error it raised, running the simulation meanwhile. */
async function outcome<T>(rig: Rig, promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  const settled = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await rig.drain();
  return settled;
}

interface Row {
  readonly rule: string;
  /** The Starlette behaviour copied. */
  readonly starlette: string;
  readonly check: () => Promise<void>;
}

const rows: Row[] = [
  {
    rule: 'receive in client CONNECTING: websocket.connect -> CONNECTED',
    starlette: 'WebSocket.receive: `if self.client_state == CONNECTING: ... self.client_state = CONNECTED`',
    check: async () => {
      const { rig, conn } = await opened();
      const result = await outcome(rig, conn.socket.receive());
      expect(result.value).toEqual({ type: 'websocket.connect' });
      expect(conn.socket.clientState).toBe('CONNECTED');
      expect(conn.socket.applicationState).toBe('CONNECTING');
    },
  },
  {
    rule: 'receive in client CONNECTING: anything else raises',
    starlette: `WebSocket.receive: raise RuntimeError(f'Expected ASGI message "websocket.connect", but got {message_type!r}')`,
    check: async () => {
      const rig = createRig();
      const conn = rig.server.open('c1', 'u1');
      if (conn === null) throw new Error('open failed');
      // A message that is not the upgrade reaches the transport before the connect.
      conn.client.link.arrive({ type: 'websocket.receive', text: 'x' });
      const result = await outcome(rig, conn.socket.receive());
      expect(result.error).toBeInstanceOf(RuntimeError);
      expect((result.error as Error).message).toBe(
        `Expected ASGI message "websocket.connect", but got 'websocket.receive'`,
      );
      expect(conn.socket.clientState).toBe('CONNECTING');
    },
  },
  {
    rule: 'receive in CONNECTED: websocket.receive keeps CONNECTED',
    starlette:
      'WebSocket.receive: `elif self.client_state == CONNECTED: ... if message_type == "websocket.disconnect"`',
    check: async () => {
      const { rig, conn } = await accepted();
      conn.client.message('hi');
      const result = await outcome(rig, conn.socket.receive());
      expect(result.value).toEqual({ type: 'websocket.receive', text: 'hi' });
      expect(conn.socket.clientState).toBe('CONNECTED');
    },
  },
  {
    rule: 'receive in CONNECTED: websocket.disconnect -> DISCONNECTED',
    starlette: 'WebSocket.receive: `self.client_state = WebSocketState.DISCONNECTED`',
    check: async () => {
      const { rig, conn } = await accepted();
      conn.client.peerClose(4000);
      const result = await outcome(rig, conn.socket.receive());
      expect(result.value).toEqual({ type: 'websocket.disconnect', code: 4000 });
      expect(conn.socket.clientState).toBe('DISCONNECTED');
    },
  },
  {
    rule: 'send or close after the app received websocket.disconnect: the server raises RuntimeError',
    starlette:
      "uvicorn websockets_impl.py asgi_send (0.17.6): `else: raise RuntimeError(\"Unexpected ASGI message '%s', after sending 'websocket.close'.\")`",
    check: async () => {
      for (const call of ['send', 'close'] as const) {
        const { rig, conn } = await accepted();
        conn.client.peerClose(1000);
        await outcome(rig, conn.socket.receive());
        const type = call === 'send' ? 'websocket.send' : 'websocket.close';
        const result = await outcome(
          rig,
          call === 'send' ? conn.socket.sendText('late') : conn.socket.close(1000),
        );
        expect(result.error).toBeInstanceOf(RuntimeError);
        expect((result.error as Error).message).toBe(
          `Unexpected ASGI message '${type}', after sending 'websocket.close'.`,
        );
        const entries: readonly TraceRecord[] = rig.context.trace.entries;
        const failed = entries.find((e) => e.action === 'sendFailed');
        expect([failed?.message, failed?.errorKind]).toEqual([type, 'RuntimeError']);
        expect(entries.some((e) => e.action === 'wire' && e.message === type)).toBe(false);
      }
    },
  },
  {
    rule: 'receive in CONNECTED: an unexpected message type raises',
    starlette: `WebSocket.receive: 'Expected ASGI message "websocket.receive" or "websocket.disconnect", but got {message_type!r}'`,
    check: async () => {
      const { rig, conn } = await accepted();
      conn.client.link.arrive({ type: 'websocket.connect' });
      const result = await outcome(rig, conn.socket.receive());
      expect((result.error as Error).message).toBe(
        `Expected ASGI message "websocket.receive" or "websocket.disconnect", but got 'websocket.connect'`,
      );
    },
  },
  {
    rule: 'receive in client DISCONNECTED raises',
    starlette: `WebSocket.receive: raise RuntimeError('Cannot call "receive" once a disconnect message has been received.')`,
    check: async () => {
      const { rig, conn } = await accepted();
      conn.client.peerClose(1000);
      await outcome(rig, conn.socket.receive());
      const result = await outcome(rig, conn.socket.receive());
      expect(result.error).toBeInstanceOf(RuntimeError);
      expect((result.error as Error).message).toBe(receiveAfterDisconnectMessage);
    },
  },
  {
    rule: 'send in app CONNECTING: websocket.accept -> CONNECTED',
    starlette: 'WebSocket.send: `if message_type == "websocket.accept": self.application_state = CONNECTED`',
    check: async () => {
      const { rig, conn } = await opened();
      await outcome(rig, conn.socket.receive());
      const result = await outcome(rig, conn.socket.send({ type: 'websocket.accept' }));
      expect(result.error).toBeUndefined();
      expect(conn.socket.applicationState).toBe('CONNECTED');
      expect(conn.client.status()).toBe('open');
    },
  },
  {
    rule: 'send in app CONNECTING: websocket.close -> DISCONNECTED, a denial (HTTP 403)',
    starlette:
      'WebSocket.send: `if message_type == "websocket.close": self.application_state = DISCONNECTED`',
    check: async () => {
      const { rig, conn } = await opened();
      const result = await outcome(rig, conn.socket.close(1008, 'denied'));
      expect(result.error).toBeUndefined();
      expect(conn.socket.applicationState).toBe('DISCONNECTED');
      const received = rig.context.trace.entries.find((e) => e.actor === 'client' && e.action === 'received');
      expect(received?.detail).toEqual({ status: 403 });
      expect(conn.client.status()).toBe('closed');
    },
  },
  {
    rule: 'send in app CONNECTING: websocket.http.response.start -> RESPONSE',
    starlette:
      'WebSocket.send: `elif message_type == "websocket.http.response.start": self.application_state = RESPONSE`',
    check: async () => {
      const { rig, conn } = await opened();
      await outcome(rig, conn.socket.send({ type: 'websocket.http.response.start', status: 403 }));
      expect(conn.socket.applicationState).toBe('RESPONSE');
      const result = await outcome(rig, conn.socket.sendText('x'));
      expect((result.error as Error).message).toBe(
        `Expected ASGI message "websocket.http.response.body", but got 'websocket.send'`,
      );
    },
  },
  {
    rule: 'send in app CONNECTING: a data frame raises (the seeds\' "Need to call accept first" on send)',
    starlette: `WebSocket.send: 'Expected ASGI message "websocket.accept", "websocket.close" or "websocket.http.response.start", but got {message_type!r}'`,
    check: async () => {
      const { rig, conn } = await opened();
      const result = await outcome(rig, conn.socket.sendJson({ a: 1 }));
      expect(result.error).toBeInstanceOf(RuntimeError);
      expect((result.error as Error).message).toBe(
        `Expected ASGI message "websocket.accept", "websocket.close" or "websocket.http.response.start", but got 'websocket.send'`,
      );
      expect(conn.socket.applicationState).toBe('CONNECTING');
      const entry = rig.context.trace.entries.find((e) => e.action === 'send');
      expect(entry?.errorKind).toBe('RuntimeError');
    },
  },
  {
    rule: 'send in CONNECTED: websocket.send stays, websocket.close -> DISCONNECTED',
    starlette:
      'WebSocket.send: `elif self.application_state == CONNECTED: ... if message_type == "websocket.close"`',
    check: async () => {
      const { rig, conn } = await accepted();
      await outcome(rig, conn.socket.sendJson({ a: 1 }));
      expect(conn.socket.applicationState).toBe('CONNECTED');
      await outcome(rig, conn.socket.close());
      expect(conn.socket.applicationState).toBe('DISCONNECTED');
      const wires = rig.context.trace.entries.filter((e) => e.action === 'wire').map((e) => e.message);
      expect(wires).toEqual(['websocket.accept', 'websocket.send', 'websocket.close']);
    },
  },
  {
    rule: 'send in CONNECTED: a wrong message type raises',
    starlette: `WebSocket.send: 'Expected ASGI message "websocket.send" or "websocket.close", but got {message_type!r}'`,
    check: async () => {
      const { rig, conn } = await accepted();
      const result = await outcome(rig, conn.socket.send({ type: 'websocket.accept' }));
      expect((result.error as Error).message).toBe(
        `Expected ASGI message "websocket.send" or "websocket.close", but got 'websocket.accept'`,
      );
    },
  },
  {
    rule: 'send in CONNECTED to a vanished peer: DISCONNECTED and WebSocketDisconnect(1006)',
    starlette:
      'WebSocket.send: `except OSError: self.application_state = DISCONNECTED; raise WebSocketDisconnect(code=1006)`',
    check: async () => {
      const { rig, conn } = await accepted();
      conn.client.abrupt();
      await rig.drain();
      const result = await outcome(rig, conn.socket.sendJson({ a: 1 }));
      expect(result.error).toBeInstanceOf(WebSocketDisconnect);
      expect((result.error as WebSocketDisconnect).code).toBe(1006);
      expect(conn.socket.applicationState).toBe('DISCONNECTED');
      expect(rig.context.trace.entries.some((e) => e.actor === 'net' && e.action === 'sendFailed')).toBe(
        true,
      );
    },
  },
  {
    rule: 'send in DISCONNECTED raises',
    starlette: `WebSocket.send: raise RuntimeError('Cannot call "send" once a close message has been sent.')`,
    check: async () => {
      const { rig, conn } = await accepted();
      await outcome(rig, conn.socket.close());
      const result = await outcome(rig, conn.socket.sendText('late'));
      expect((result.error as Error).message).toBe(sendAfterCloseMessage);
    },
  },
  {
    rule: 'the new state is set before the awaited write: a second concurrent close raises at once',
    starlette: 'WebSocket.send: `self.application_state = DISCONNECTED` precedes `await self._send(message)`',
    check: async () => {
      const { rig, conn } = await accepted();
      const first = conn.socket.close(1000);
      const second = conn.socket.close(1000);
      let firstDone = false;
      void first.then(() => (firstDone = true));
      const secondError = await second.then(
        () => null,
        (error: unknown) => error,
      );
      expect(firstDone).toBe(false);
      expect((secondError as Error).message).toBe(sendAfterCloseMessage);
      await outcome(rig, first);
      expect(firstDone).toBe(true);
    },
  },
  {
    rule: 'accept() awaits websocket.connect first when the client is CONNECTING',
    starlette:
      "WebSocket.accept: `if self.client_state == CONNECTING: # If we haven't yet seen the 'connect' message ... await self.receive()`",
    check: async () => {
      const rig = createRig({ ...createRig().context.knobs, handshakeDelayMsMax: 100 }, [100]);
      const conn = rig.server.open('c1', 'u1');
      if (conn === null) throw new Error('open failed');
      const result = await outcome(rig, conn.socket.accept());
      expect(result.error).toBeUndefined();
      const accept = rig.context.trace.entries.find((e) => e.action === 'accept');
      expect(accept?.t).toBe(100);
      expect(accept?.before).toEqual({ client: 'CONNECTED', app: 'CONNECTING' });
      // The inner receive belongs to accept: no app/receive entry (P3 would misread it).
      expect(rig.context.trace.entries.some((e) => e.action === 'receive')).toBe(false);
    },
  },
  {
    rule: 'receive_text before accept raises at call time',
    starlette: `WebSocket.receive_text: if self.application_state != CONNECTED: raise RuntimeError('WebSocket is not connected. Need to call "accept" first.')`,
    check: async () => {
      const { rig, conn } = await opened();
      const call = conn.socket.receiveText();
      // Written synchronously, at call time, before any await.
      const entry: TraceRecord | undefined = rig.context.trace.entries.at(-1);
      expect(entry?.action).toBe('receive');
      expect(entry?.error).toBe(notConnectedMessage);
      const result = await outcome(rig, call);
      expect((result.error as Error).message).toBe(notConnectedMessage);
    },
  },
  {
    rule: "receive_text after the app's own close raises the same error",
    starlette:
      'WebSocket.receive_text: the check is `application_state != CONNECTED`, true after send(close)',
    check: async () => {
      const { rig, conn } = await accepted();
      await outcome(rig, conn.socket.close());
      const result = await outcome(rig, conn.socket.receiveJson());
      expect((result.error as Error).message).toBe(notConnectedMessage);
      const entry = rig.context.trace.entries.find((e) => e.action === 'receive');
      expect(entry?.before).toEqual({ client: 'CONNECTED', app: 'DISCONNECTED' });
    },
  },
  {
    rule: 'receive_text on websocket.disconnect raises WebSocketDisconnect(code)',
    starlette:
      'WebSocket._raise_on_disconnect: `raise WebSocketDisconnect(message["code"], message.get("reason"))`',
    check: async () => {
      const { rig, conn } = await accepted();
      conn.client.peerClose(4001);
      const result = await outcome(rig, conn.socket.receiveText());
      expect(result.error).toBeInstanceOf(WebSocketDisconnect);
      expect((result.error as WebSocketDisconnect).code).toBe(4001);
    },
  },
  {
    rule: 'send_json writes compact JSON text; close defaults to code 1000 and reason ""',
    starlette:
      'WebSocket.send_json: json.dumps(data, separators=(",", ":")); close(code=1000, reason=None) -> reason or ""',
    check: async () => {
      const { rig, conn } = await accepted();
      await outcome(rig, conn.socket.sendJson({ a: [1, 2] }));
      await outcome(rig, conn.socket.close());
      const wires = rig.context.trace.entries.filter(
        (e): e is NetWire => e.actor === 'net' && e.action === 'wire' && e.frame !== undefined,
      );
      expect(wires.map((e) => e.frame)).toEqual([{ a: [1, 2] }, { code: 1000, reason: '' }]);
    },
  },
];

describe('StarletteSocket conformance (starlette/websockets.py)', () => {
  for (const row of rows) it(`${row.rule} [${row.starlette}]`, row.check);
});
