/**
 * Slow readers on the real stack: what python/uvicorn_write_rows.py prints for each row on
 * uvicorn 0.17.6 (ws="websockets"), websockets 10.4 (legacy protocol), Starlette 0.26.1 and
 * CPython 3.11 asyncio, over loopback with small kernel buffers and a reader that stalls.
 *
 * The rules the rows show (docs/sim.md, "Slow readers and write waits"):
 * - the transport's write buffer has a high-water mark of websockets' `write_limit` (64 KiB)
 *   and a low-water mark of a quarter of it (16 KiB);
 * - a send writes its frame to the transport at once, then waits in `drain()` while the
 *   transport is paused: it pauses when a write takes the buffer above the high-water mark
 *   and resumes when the socket has taken enough that the buffer is at or below the low one;
 * - a reset peer makes the waiting send (and every later one) raise ConnectionClosedError;
 *   a close() queues its frame behind the waiting send and waits for the reader too.
 *
 * Row lines are the app's observations first, then the client's; `True`/`False` are
 * Python's. Frames are 4 KiB of text (4100 bytes on the wire), 15 fit below 64 KiB.
 */

/** The releases the table was taken on (the script prints the versions it ran). */
export const uvicornWriteStack = { uvicorn: '0.17.6', websockets: '10.4', starlette: '0.26.1' } as const;

const uvicorn = 'uvicorn 0.17.6 uvicorn/protocols/websockets/websockets_impl.py';
const legacy = 'websockets 10.4 websockets/legacy/protocol.py';
const selector = 'CPython 3.11 Lib/asyncio/selector_events.py';
const transports = 'CPython 3.11 Lib/asyncio/transports.py';
const starlette = 'Starlette 0.26.1 starlette/websockets.py';

/** Where each row's behaviour comes from, file, function and lines (same names as the rows). */
export const uvicornWriteSources: Readonly<Record<string, readonly string[]>> = {
  reader_active_burst: [
    `${uvicorn} WebSocketProtocol.asgi_send L245-252: waits handshake_completed_event, then await self.send(data)`,
    `${legacy} WebSocketCommonProtocol.send L635-647 -> write_frame L1205-1214 -> drain L1190-1203`,
    `${legacy} _drain_helper L318-327: returns at once when not paused (asyncio.Lock, Event: no yield when free/set)`,
  ],
  reader_stalled_burst: [
    `${legacy} __init__ L181 write_limit=2**16; connection_made L1487-1506: transport.set_write_buffer_limits(write_limit)`,
    `${transports} _FlowControlMixin._set_write_buffer_limits L314-328: low = high // 4`,
    `${transports} _maybe_pause_protocol L277-293 (size > high), _maybe_resume_protocol L295-309 (size <= low)`,
    `${selector} _SelectorSocketTransport.write L1037-1074, _write_ready L1076-1104`,
    `${legacy} pause_writing/resume_writing L1547-1559, _drain_helper L318-327`,
  ],
  second_sender_while_waiting: [
    `${legacy} write_frame L1205-1214: write_frame_sync (to the transport) before drain()`,
    `${legacy} drain L1190-1203: one drainer at a time under _drain_lock (L248)`,
  ],
  reset_while_waiting: [
    `${selector} _fatal_error L846-858 -> _force_close L860-870 -> connection_lost(exc)`,
    `${legacy} connection_lost L1508-1545: the drain waiter gets the exception`,
    `${legacy} drain L1190-1203: ConnectionError -> fail_connection(), ensure_open L925-957 raises connection_closed_exc L902-923`,
    `${uvicorn} asgi_send L248-252 and asgi_receive L284-288 (no wrapping); ${starlette} WebSocket.send L60-87`,
  ],
  close_while_waiting: [
    `${starlette} WebSocket.send L83-85: application_state DISCONNECTED before the close is sent`,
    `${uvicorn} asgi_send L254-258: await self.close(code, reason)`,
    `${legacy} close L743-798 (wait_for(write_close_frame, close_timeout)), write_close_frame L1216-1241`,
  ],
  close_timeout_while_stalled: [
    `${legacy} __init__ L193-200: close_timeout 10 s unless given (uvicorn 0.17.6 passes none, L62-71)`,
    `${legacy} close L743-798: timeout -> fail_connection() L1409-1465 (code 1006, no close frame)`,
    `${legacy} close_connection L1298-1354, close_transport L1356-1385: transport.close(), then abort()`,
    `${selector} _force_close L860-870: the buffer is cleared; connection_lost(None) resolves the drain waiter`,
  ],
};

/** name -> the lines uvicorn_write_rows.py prints for it. */
export const uvicornWriteRows: Readonly<Record<string, readonly string[]>> = {
  /**
   * A burst that fits below the high-water mark never pauses the transport, and the sends
   * do not even yield to the event loop: uvicorn's asgi_send and websockets' send/drain only
   * suspend when they must wait. The exception is the first send after accept(), which waits
   * for websockets to finish the opening handshake (websockets_impl.py L246).
   * Sources: uvicornWriteSources.reader_active_burst.
   */
  reader_active_burst: [
    '15 sends of 4100 wire bytes (together at most write_limit 65536); sends that let the event loop run: [0] (the first waits for the opening handshake)',
    'transport paused during the burst: False',
    'write buffer after the burst at most write_limit: True',
    'client read 15 frames in send order: True',
    'then the close frame: True',
  ],
  /**
   * The reader stalls 300 ms once the transport pauses, during a 100-frame (400 KiB) burst:
   * the first sends (at least as many as fit below write_limit) return at once; the send
   * whose frame takes the buffer above 64 KiB waits and returns only after the reader
   * resumes and the socket has taken the buffer down to 16 KiB or less; then sends return
   * at once again until the next pause. Every frame arrives, in order.
   * Sources: uvicornWriteSources.reader_stalled_burst.
   */
  reader_stalled_burst: [
    'sends that returned before the reader resumed are the first ones: True',
    'at least write_limit // frame size (15) sends returned before the reader resumed: True',
    'some send waited: True',
    'the first send that waited is the first that returned after the resume: True',
    'the first pause came with the write buffer above write_limit 65536: True',
    'every pause came with the buffer above write_limit, every resume at or below write_limit // 4 (16384): True',
    'every send that waited returned with the buffer at or below write_limit // 4: True',
    'sends that waited: one per pause, each the send whose frame took the buffer above write_limit: True',
    'the transport paused more than once: True',
    "no send raised; the app's last send returned after the resume: True",
    'client read all 100 frames, in send order, none lost: True',
    'then the close frame: True',
  ],
  /**
   * While one task's send waits, another task's send hands its frame to the transport at
   * once (the buffer grows by its 4100 bytes) and then waits too, behind the first on
   * websockets' drain lock; both return after the reader resumes, in call order.
   * Sources: uvicornWriteSources.second_sender_while_waiting.
   */
  second_sender_while_waiting: [
    "a second task's send while the first waits: its frame is in the transport at once: True",
    'and it waits too: True',
    'the first send: ok, the second: ok',
    'both returned after the reader resumed, the first before the second: True',
    "client read every frame in send order, the second task's last: True",
  ],
  /**
   * The client resets (SO_LINGER 0) while a send waits: the send raises websockets'
   * ConnectionClosedError (no close frame either way, code 1006), caused by the
   * ConnectionResetError of the transport; Starlette passes it through unchanged and keeps
   * its states, so a later send raises the same, and receive() reports disconnect 1006.
   * Sources: uvicornWriteSources.reset_while_waiting.
   */
  reset_while_waiting: [
    'a send waits (transport paused above write_limit): True',
    'the waiting send, once the client reset: websockets.exceptions.ConnectionClosedError: no close frame received or sent',
    'it was still waiting at the reset and ended after it: True',
    'its __cause__: ConnectionResetError',
    'a later send_text: websockets.exceptions.ConnectionClosedError: no close frame received or sent',
    'starlette states: client=CONNECTED app=CONNECTED',
    'receive(): {"code": 1006, "type": "websocket.disconnect"}',
  ],
  /**
   * Another task calls close() while a send waits: Starlette marks the app side closed at
   * once (a third send raises RuntimeError), websockets writes the close frame behind the
   * data and waits on the drain lock; nothing raises. When the reader resumes, the waiting
   * send returns normally, then close() returns once the client's close frame came back.
   * Sources: uvicornWriteSources.close_while_waiting.
   */
  close_while_waiting: [
    'a send_text from another task while close waits: builtins.RuntimeError: Cannot call "send" once a close message has been sent.',
    'the send and close() both still waiting when the reader resumes: True',
    'the waiting send: ok, returned after the reader resumed: True',
    'close(): ok, returned after the reader resumed: True',
    'the waiting send returned before close() did: True',
    "close() returned after the client's close frame: True",
    'a later send_text: builtins.RuntimeError: Cannot call "send" once a close message has been sent.',
    'starlette states: client=CONNECTED app=DISCONNECTED',
    'client got the close frame after the data frames, code 1000',
    'then the server closed the TCP connection',
  ],
  /**
   * The reader never resumes (close_timeout set to 0.3 s on the connection; uvicorn 0.17.6
   * leaves websockets' 10 s): close() times out writing its frame, fails the connection
   * (1006), closes then aborts the transport, which discards its buffer. The waiting send
   * then returns normally, before close() returns, though its frame never left; the client
   * reads only the frames the kernel already held, no close frame, then EOF.
   * Sources: uvicornWriteSources.close_timeout_while_stalled.
   */
  close_timeout_while_stalled: [
    'reader never resumes, close_timeout 0.3 s: the waiting send: ok, close(): ok',
    'the waiting send returned before close() did: True',
    "the server's protocol state: CLOSED, close_code 1006",
    'a later send_text: builtins.RuntimeError: Cannot call "send" once a close message has been sent.',
    "client then read fewer frames than were sent (the transport's buffer was discarded): True",
    'the frames it read are the first ones, in order: True',
    'it got a close frame: False; then the server closed the TCP connection',
  ],
};
