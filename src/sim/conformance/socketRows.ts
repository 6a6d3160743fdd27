/**
 * The socket conformance table against Starlette's real `WebSocket`: scripted sequences,
 * each with the Starlette code it copies, the lines real Starlette prints
 * (src/sim/conformance/python/starlette_rows.py, one function per row, same name) and the
 * same sequence on the simulated socket. `expected` is 0.47.3's output (identical for
 * 0.38.4); `olderReleases` lists the lines that differ in older releases, as measured.
 */
import { WebSocketDisconnect } from '../errors.ts';
import { createRig, type Rig } from '../rig.ts';
import type { SimConnection } from '../server.ts';
import type { AsgiMessage } from '../types.ts';

/** One row of the socket table. */
export interface SocketRow {
  readonly name: string;
  /** The Starlette code copied: file and function, 0.47.3. */
  readonly starlette: string;
  readonly expected: readonly string[];
  readonly simulate: (row: SimRow) => Promise<void>;
}

/** Python's `json.dumps(value, sort_keys=True)`. Pure. */
function pyJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pyJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${pyJson(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

/** A simulated connection driven call by call, logging as starlette_rows.py does. */
export class SimRow {
  readonly rig: Rig;
  readonly conn: SimConnection;
  readonly log: string[] = [];
  /** Every message the socket handed to the transport, in order. */
  readonly sent: AsgiMessage[] = [];

  constructor() {
    this.rig = createRig();
    const conn = this.rig.server.open('c1', 'u1');
    if (conn === null) throw new Error('open failed');
    this.conn = conn;
    const transmit = conn.client.transmit.bind(conn.client);
    conn.client.transmit = (message, mayFail, denied) => {
      this.sent.push(message);
      return transmit(message, mayFail, denied);
    };
  }

  /** Runs one socket call to completion and logs its outcome and the states after it. */
  async call(label: string, promise: Promise<unknown>): Promise<void> {
    const settled = promise.then(
      (value) => (value === undefined ? 'ok' : `-> {'type': '${(value as AsgiMessage).type}'}`),
      (error: unknown) =>
        error instanceof WebSocketDisconnect
          ? `WebSocketDisconnect(${error.code})`
          : `${(error as Error).name}: ${(error as Error).message}`,
    );
    await this.rig.drain();
    const { clientState, applicationState } = this.conn.socket;
    this.log.push(`${label}: ${await settled}; client=${clientState} app=${applicationState}`);
  }

  /** Logs the last message sent, as the Python script prints it. */
  logSent(index = -1): void {
    this.log.push(`sent ${pyJson(this.sent.at(index))}`);
  }

  /** A message reaches the server transport now (scripted inbound). */
  arrive(message: AsgiMessage): void {
    this.conn.client.link.arrive(message);
  }
}

const ws = 'starlette 0.47.3 starlette/websockets.py';
const notConnected = 'RuntimeError: WebSocket is not connected. Need to call "accept" first.';
const sendAfterClose = 'RuntimeError: Cannot call "send" once a close message has been sent.';
const connected = 'client=CONNECTED app=CONNECTED';

/** Every row of the socket table. */
export const socketRows: readonly SocketRow[] = [
  {
    name: 'accept_message',
    starlette: `${ws} WebSocket.accept: {"type": "websocket.accept", "subprotocol": subprotocol, "headers": headers or []}`,
    expected: [
      `accept: ok; ${connected}`,
      'sent {"headers": [], "subprotocol": null, "type": "websocket.accept"}',
    ],
    simulate: async (row) => {
      await row.call('accept', row.conn.socket.accept());
      row.logSent(0);
    },
  },
  {
    name: 'send_before_accept',
    starlette: `${ws} WebSocket.send, CONNECTING branch`,
    expected: [
      `send_text: RuntimeError: Expected ASGI message "websocket.accept", "websocket.close" or "websocket.http.response.start", but got 'websocket.send'; client=CONNECTING app=CONNECTING`,
    ],
    simulate: (row) => row.call('send_text', row.conn.socket.sendText('x')),
  },
  {
    name: 'receive_text_before_accept',
    starlette: `${ws} WebSocket.receive_text: application_state != CONNECTED raises before receiving`,
    expected: [`receive_text: ${notConnected}; client=CONNECTING app=CONNECTING`],
    simulate: (row) => row.call('receive_text', row.conn.socket.receiveText()),
  },
  {
    name: 'receive_wrong_first_message',
    starlette: `${ws} WebSocket.receive, client_state CONNECTING branch`,
    expected: [
      `receive: RuntimeError: Expected ASGI message "websocket.connect", but got 'websocket.receive'; client=CONNECTING app=CONNECTING`,
    ],
    simulate: async (row) => {
      row.arrive({ type: 'websocket.receive', text: 'x' });
      await row.call('receive', row.conn.socket.receive());
    },
  },
  {
    name: 'receive_text_on_binary_frame',
    starlette: `${ws} WebSocket.receive_text: return message["text"]`,
    expected: [`accept: ok; ${connected}`, `receive_text: KeyError: 'text'; ${connected}`],
    simulate: async (row) => {
      await row.call('accept', row.conn.socket.accept());
      row.arrive({ type: 'websocket.receive', bytes: [120] });
      await row.call('receive_text', row.conn.socket.receiveText());
    },
  },
  {
    name: 'receive_bytes_on_text_frame',
    starlette: `${ws} WebSocket.receive_bytes: return message["bytes"]`,
    expected: [`accept: ok; ${connected}`, `receive_bytes: KeyError: 'bytes'; ${connected}`],
    simulate: async (row) => {
      await row.call('accept', row.conn.socket.accept());
      row.arrive({ type: 'websocket.receive', text: 'x' });
      await row.call('receive_bytes', row.conn.socket.receiveBytes());
    },
  },
  {
    name: 'receive_after_disconnect',
    starlette: `${ws} WebSocket._raise_on_disconnect and WebSocket.receive, DISCONNECTED branch`,
    expected: [
      `accept: ok; ${connected}`,
      'receive_text: WebSocketDisconnect(4000); client=DISCONNECTED app=CONNECTED',
      'receive: RuntimeError: Cannot call "receive" once a disconnect message has been received.; client=DISCONNECTED app=CONNECTED',
    ],
    simulate: async (row) => {
      await row.call('accept', row.conn.socket.accept());
      row.arrive({ type: 'websocket.disconnect', code: 4000 });
      await row.call('receive_text', row.conn.socket.receiveText());
      await row.call('receive', row.conn.socket.receive());
    },
  },
  {
    name: 'denial_response',
    starlette: `${ws} WebSocket.send, RESPONSE branch (no more_body: DISCONNECTED)`,
    expected: [
      "receive: -> {'type': 'websocket.connect'}; client=CONNECTED app=CONNECTING",
      'send http.response.start: ok; client=CONNECTED app=RESPONSE',
      'send http.response.body: ok; client=CONNECTED app=DISCONNECTED',
      `send_text: ${sendAfterClose}; client=CONNECTED app=DISCONNECTED`,
    ],
    simulate: async (row) => {
      const { socket } = row.conn;
      await row.call('receive', socket.receive());
      await row.call(
        'send http.response.start',
        socket.send({ type: 'websocket.http.response.start', status: 403 }),
      );
      await row.call(
        'send http.response.body',
        socket.send({ type: 'websocket.http.response.body', body: 'denied' }),
      );
      await row.call('send_text', socket.sendText('x'));
    },
  },
  {
    name: 'failed_write',
    starlette: `${ws} WebSocket.send, CONNECTED branch: except OSError: DISCONNECTED, raise WebSocketDisconnect(code=1006)`,
    expected: [
      `accept: ok; ${connected}`,
      'send_text: WebSocketDisconnect(1006); client=CONNECTED app=DISCONNECTED',
      `receive_text: ${notConnected}; client=CONNECTED app=DISCONNECTED`,
    ],
    simulate: async (row) => {
      await row.call('accept', row.conn.socket.accept());
      row.conn.client.abrupt();
      await row.rig.drain();
      await row.call('send_text', row.conn.socket.sendText('x'));
      await row.call('receive_text', row.conn.socket.receiveText());
    },
  },
  {
    name: 'close_twice',
    starlette: `${ws} WebSocket.close (reason or "") and WebSocket.send, DISCONNECTED branch`,
    expected: [
      `accept: ok; ${connected}`,
      'close: ok; client=CONNECTED app=DISCONNECTED',
      `close: ${sendAfterClose}; client=CONNECTED app=DISCONNECTED`,
      `receive_text: ${notConnected}; client=CONNECTED app=DISCONNECTED`,
      'sent {"code": 1000, "reason": "", "type": "websocket.close"}',
    ],
    simulate: async (row) => {
      await row.call('accept', row.conn.socket.accept());
      await row.call('close', row.conn.socket.close());
      await row.call('close', row.conn.socket.close());
      await row.call('receive_text', row.conn.socket.receiveText());
      row.logSent();
    },
  },
  {
    name: 'close_before_accept',
    starlette: `${ws} WebSocket.send, CONNECTING branch: websocket.close -> DISCONNECTED`,
    expected: [
      'close: ok; client=CONNECTING app=DISCONNECTED',
      `send_text: ${sendAfterClose}; client=CONNECTING app=DISCONNECTED`,
    ],
    simulate: async (row) => {
      await row.call('close', row.conn.socket.close(1008, 'denied'));
      await row.call('send_text', row.conn.socket.sendText('x'));
    },
  },
  {
    name: 'send_json_compact',
    starlette: `${ws} WebSocket.send_json: json.dumps(data, separators=(",", ":"), ensure_ascii=False)`,
    expected: [
      `accept: ok; ${connected}`,
      `send_json: ok; ${connected}`,
      'sent {"text": "{\\"a\\":[1,2]}", "type": "websocket.send"}',
    ],
    simulate: async (row) => {
      await row.call('accept', row.conn.socket.accept());
      await row.call('send_json', row.conn.socket.sendJson({ a: [1, 2] }));
      row.logSent();
    },
  },
];

/**
 * Lines that differ in older releases, by row, as starlette_rows.py printed them against
 * each release's starlette/websockets.py. 0.38.4 prints exactly `expected`.
 */
export const olderReleases: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  '0.37.2': {
    send_before_accept: [
      `send_text: RuntimeError: Expected ASGI message "websocket.accept","websocket.close" or "websocket.http.response.start",but got 'websocket.send'; client=CONNECTING app=CONNECTING`,
    ],
  },
  '0.26.1': {
    send_before_accept: [
      `send_text: RuntimeError: Expected ASGI message "websocket.connect", but got 'websocket.send'; client=CONNECTING app=CONNECTING`,
    ],
    denial_response: [
      "receive: -> {'type': 'websocket.connect'}; client=CONNECTED app=CONNECTING",
      `send http.response.start: RuntimeError: Expected ASGI message "websocket.connect", but got 'websocket.http.response.start'; client=CONNECTED app=CONNECTING`,
      `send http.response.body: RuntimeError: Expected ASGI message "websocket.connect", but got 'websocket.http.response.body'; client=CONNECTED app=CONNECTING`,
      `send_text: RuntimeError: Expected ASGI message "websocket.connect", but got 'websocket.send'; client=CONNECTED app=CONNECTING`,
    ],
    failed_write: [
      `accept: ok; ${connected}`,
      `send_text: OSError: gone; ${connected}`,
      'receive_text: WebSocketDisconnect(1006); client=DISCONNECTED app=CONNECTED',
    ],
    send_json_compact: [
      `accept: ok; ${connected}`,
      `send_json: ok; ${connected}`,
      'sent {"text": "{\\"a\\": [1, 2]}", "type": "websocket.send"}',
    ],
  },
};
