"""Slow readers on the real stack, one row per entry of uvicornWriteRows in
src/sim/conformance/writeRows.ts (same names).

Starts uvicorn (ws="websockets", the legacy websockets protocol) in this process on an
ephemeral loopback port with a Starlette WebSocketRoute, and drives each row with a raw
client on a blocking socket in a thread: it does the opening handshake by hand, reads
frames one at a time, and stalls by not reading. Both sockets' kernel buffers are made
small (SO_RCVBUF on the client, SO_SNDBUF on the listening socket, inherited by the
accepted one) so a stall fills them after a few frames; what the rows state is relative to
the transport's write buffer (websockets' write_limit, 64 KiB, and its quarter), which is
the part that decides when a send waits.

The server's protocol is observed, not changed: its pause_writing/resume_writing are
wrapped to note the transport's buffer size when asyncio pauses and resumes it.

Every observation is an ordering or a count relative to the buffer, never a duration or a
kernel byte count, so the output is the same on every run.

Usage: /usr/bin/python3 uvicorn_write_rows.py
Prints {"uvicorn": version, "websockets": version, "rows": {name: [lines]}} as JSON.
"""
import asyncio
import base64
import json
import logging
import os
import socket
import struct
import threading
import time

import starlette
import uvicorn
import websockets
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from uvicorn.protocols.websockets.websockets_impl import WebSocketProtocol

FRAME_PAYLOAD = 4096  # bytes of text per frame; on the wire 4100 (2 + 2 header bytes)
FRAME_WIRE = FRAME_PAYLOAD + 4
STALL_S = 0.3  # how long the reader stalls once the server's transport is paused
KERNEL_BUF = 4096  # SO_RCVBUF / SO_SNDBUF asked for (Linux doubles it)
WAIT_S = 5.0  # upper bound on any single wait of the script (a hang fails the row)


def payload(i):
    return f"{i:05d}".ljust(FRAME_PAYLOAD, "x")


# ---------------------------------------------------------------------------------------
# Raw client (blocking socket, runs in a thread)


class RawClient:
    def __init__(self, port, row):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, KERNEL_BUF)
        self.sock.settimeout(WAIT_S)
        self.sock.connect(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET /ws?row={row} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            self.buf += self._recv()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101"), head

    def _recv(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError("server closed the TCP connection")
        return data

    def _exactly(self, n):
        while len(self.buf) < n:
            self.buf += self._recv()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def read_frame(self):
        """(opcode, payload) of the next frame from the server (unmasked)."""
        b0, b1 = self._exactly(2)
        length = b1 & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", self._exactly(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", self._exactly(8))
        return b0 & 0x0F, self._exactly(length)

    def send_close(self, data):
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
        self.sock.sendall(bytes([0x88, 0x80 | len(data)]) + mask + masked)

    def reset(self):
        """Vanish: close with SO_LINGER 0, so the kernel sends RST and drops its buffers."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()


# ---------------------------------------------------------------------------------------
# Shared state of one row: the app (event loop thread) and the client (its own thread)


class Run:
    def __init__(self, server):
        self.server = server
        self.events = []  # ordered log of both sides; list.append is atomic
        self.paused = threading.Event()  # set when asyncio first pauses the protocol
        self.app_done = None  # asyncio.Event, created in the loop
        self.out = []  # the app side's observation lines
        self.client_out = []  # the client side's
        self.pauses = []  # transport buffer size at each pause_writing
        self.resumes = []  # transport buffer size at each resume_writing
        self.loop = None  # the server's event loop
        self.at_resume = None  # run in the loop (client waiting) just before the reader resumes
        self.app_finished = threading.Event()

    def resume(self):
        """Client side: stall STALL_S once the server paused, then note the resume."""
        assert self.paused.wait(WAIT_S), "the server never paused"
        time.sleep(STALL_S)
        if self.at_resume is not None:
            done = threading.Event()

            def call():
                self.at_resume()
                done.set()

            self.loop.call_soon_threadsafe(call)
            assert done.wait(WAIT_S)
        self.note("client resumes reading")

    def note(self, event):
        self.events.append(event)

    def index(self, event):
        return self.events.index(event)

    def instrument(self):
        """The connection's WebSocketProtocol, with pause/resume wrapped to note sizes."""
        (proto,) = [c for c in self.server.server_state.connections if isinstance(c, WebSocketProtocol)]
        pause, resume = proto.pause_writing, proto.resume_writing

        def pause_writing():
            self.pauses.append(proto.transport.get_write_buffer_size())
            self.note("paused")
            self.paused.set()
            pause()

        def resume_writing():
            self.resumes.append(proto.transport.get_write_buffer_size())
            self.note("resumed")
            resume()

        proto.pause_writing, proto.resume_writing = pause_writing, resume_writing
        return proto


def outcome(exc):
    return f"{type(exc).__module__}.{type(exc).__name__}: {exc}"


async def timed_send(ws, i):
    """send_text(payload(i)); whether it suspended (the loop ran meanwhile) and its outcome."""
    loop = asyncio.get_running_loop()
    ran = []
    loop.call_soon(ran.append, True)
    try:
        await ws.send_text(payload(i))
        result = "ok"
    except Exception as exc:  # noqa: BLE001 - the row prints whatever is raised
        result = outcome(exc)
    return bool(ran), result


# ---------------------------------------------------------------------------------------
# Rows: app side (a coroutine on the WebSocket) and client side (a function on RawClient)

HIGH = 2**16  # websockets' write_limit default: the transport's high-water mark
LOW = HIGH // 4  # asyncio's default low-water mark for that high-water mark
FITS = HIGH // FRAME_WIRE  # frames the transport buffers without exceeding the high-water mark


async def app_reader_active_burst(run, ws):
    proto = run.instrument()
    suspended = []
    for i in range(FITS):
        waited, result = await timed_send(ws, i)
        assert result == "ok", result
        if waited:
            suspended.append(i)
    run.out.append(
        f"{FITS} sends of {FRAME_WIRE} wire bytes (together at most write_limit {HIGH}); "
        f"sends that let the event loop run: {suspended} (the first waits for the opening handshake)"
    )
    run.out.append(f"transport paused during the burst: {bool(run.pauses)}")
    run.out.append(
        f"write buffer after the burst at most write_limit: {proto.transport.get_write_buffer_size() <= HIGH}"
    )
    await ws.close()


def client_reader_active_burst(run, client):
    got = [int(client.read_frame()[1][:5]) for _ in range(FITS)]
    run.client_out.append(f"client read {len(got)} frames in send order: {got == list(range(FITS))}")
    opcode, _ = client.read_frame()
    client.send_close(b"\x03\xe8")
    run.client_out.append(f"then the close frame: {opcode == 8}")


BURST = 100  # frames in a stalled burst: 400 KiB, several times write_limit + kernel buffers


async def app_reader_stalled_burst(run, ws):
    proto = run.instrument()
    sizes_after_wait = []
    waited_at = []
    for i in range(BURST):
        waited, result = await timed_send(ws, i)
        assert result == "ok", result
        run.note(f"send {i} returned")
        if waited and i > 0:  # send 0 waits for the opening handshake (row above)
            waited_at.append(i)
            sizes_after_wait.append(proto.transport.get_write_buffer_size())
    resume = run.index("client resumes reading")
    early = [i for i in range(BURST) if run.index(f"send {i} returned") < resume]
    first_wait = waited_at[0]
    run.out.append(f"sends that returned before the reader resumed are the first ones: {early == list(range(len(early)))}")
    run.out.append(
        f"at least write_limit // frame size ({FITS}) sends returned before the reader resumed: {len(early) >= FITS}"
    )
    run.out.append(f"some send waited: {bool(waited_at)}")
    run.out.append(f"the first send that waited is the first that returned after the resume: {first_wait == len(early)}")
    run.out.append(
        f"the first pause came with the write buffer above write_limit {HIGH}: {run.pauses[0] > HIGH}"
    )
    run.out.append(
        f"every pause came with the buffer above write_limit, every resume at or below write_limit // 4 ({LOW}): "
        f"{all(p > HIGH for p in run.pauses) and all(r <= LOW for r in run.resumes)}"
    )
    run.out.append(
        f"every send that waited returned with the buffer at or below write_limit // 4: "
        f"{all(s <= LOW for s in sizes_after_wait)}"
    )
    run.out.append(
        f"sends that waited: one per pause, each the send whose frame took the buffer above write_limit: "
        f"{len(waited_at) == len(run.pauses) and all(p > HIGH for p in run.pauses)}"
    )
    run.out.append(f"the transport paused more than once: {len(run.pauses) > 1}")
    run.out.append(f"no send raised; the app's last send returned after the resume: {run.index(f'send {BURST - 1} returned') > resume}")
    await ws.close()


def client_reader_stalled_burst(run, client):
    run.resume()
    got = [int(client.read_frame()[1][:5]) for _ in range(BURST)]
    run.client_out.append(f"client read all {BURST} frames, in send order, none lost: {got == list(range(BURST))}")
    opcode, _ = client.read_frame()
    client.send_close(b"\x03\xe8")
    run.client_out.append(f"then the close frame: {opcode == 8}")


async def send_until_paused(run, ws, tasks):
    """Sends from one task until a send waits; returns that send's task (still waiting)."""
    for i in range(BURST):
        task = asyncio.ensure_future(timed_send(ws, i))
        await asyncio.sleep(0)
        if not task.done():
            tasks.append(task)
            return task, i
        waited, result = task.result()
        assert result == "ok" and not waited, result
    raise AssertionError("no send waited")


async def app_reset_while_waiting(run, ws):
    proto = run.instrument()
    waiting, _ = await send_until_paused(run, ws, [])
    run.out.append(f"a send waits (transport paused above write_limit): {run.paused.is_set()}")
    ended = []
    run.at_resume = lambda: ended.append(waiting.done())

    waited, result = await asyncio.wait_for(waiting, WAIT_S)
    run.note("waiting send ended")
    run.out.append(f"the waiting send, once the client reset: {result}")
    run.out.append(
        f"it was still waiting at the reset and ended after it: "
        f"{ended == [False] and run.index('client reset') < run.index('waiting send ended')}"
    )
    run.out.append(f"its __cause__: {type(proto.transfer_data_exc).__name__}")
    _, later = await timed_send(ws, BURST)
    run.out.append(f"a later send_text: {later}")
    run.out.append(f"starlette states: client={ws.client_state.name} app={ws.application_state.name}")
    message = await ws.receive()
    run.out.append(f"receive(): {json.dumps(message, sort_keys=True)}")


def client_reset_while_waiting(run, client):
    run.resume()  # a resume point only: the client resets instead of reading
    run.note("client reset")
    client.reset()


def send_and_close(run, ws, waiting):
    """The two racers of a close while a send waits for the reader: the waiting send's
    result, and close()'s ("ok" or what it raised), each noting when it returned."""

    async def sender():
        waited, result = await waiting
        run.note("waiting send returned")
        return result

    async def closer():
        try:
            await ws.close()
            run.note("close returned")
            return "ok"
        except Exception as exc:  # noqa: BLE001
            run.note("close raised")
            return outcome(exc)

    return sender, closer


async def app_close_while_waiting(run, ws):
    run.instrument()
    waiting, last = await send_until_paused(run, ws, [])

    sender, closer = send_and_close(run, ws, waiting)

    send_task = asyncio.ensure_future(sender())
    close_task = asyncio.ensure_future(closer())
    stalled = []
    run.at_resume = lambda: stalled.append(not send_task.done() and not close_task.done())
    await asyncio.sleep(0)
    _, third = await timed_send(ws, BURST)
    run.out.append(f"a send_text from another task while close waits: {third}")
    send_result, close_result = await asyncio.wait_for(asyncio.gather(send_task, close_task), WAIT_S)
    resume = run.index("client resumes reading")
    run.out.append(f"the send and close() both still waiting when the reader resumes: {stalled == [True]}")
    run.out.append(f"the waiting send: {send_result}, returned after the reader resumed: {run.index('waiting send returned') > resume}")
    run.out.append(f"close(): {close_result}, returned after the reader resumed: {run.index('close returned') > resume}")
    run.out.append(f"the waiting send returned before close() did: {run.index('waiting send returned') < run.index('close returned')}")
    run.out.append(f"close() returned after the client's close frame: {run.index('client sent close') < run.index('close returned')}")
    _, later = await timed_send(ws, BURST + 1)
    run.out.append(f"a later send_text: {later}")
    run.out.append(f"starlette states: client={ws.client_state.name} app={ws.application_state.name}")
    run.sent_before_close = last + 1


def client_close_while_waiting(run, client):
    run.resume()
    got = []
    while True:
        opcode, data = client.read_frame()
        if opcode == 8:
            break
        got.append(int(data[:5]))
    run.client_got = got
    run.note("client sent close")
    client.send_close(data)
    run.client_out.append(f"client got the close frame after the data frames, code {struct.unpack('!H', data[:2])[0]}")
    try:
        client._recv()
        run.client_out.append("server sent more after the close frame")
    except EOFError:
        run.client_out.append("then the server closed the TCP connection")


async def app_second_sender_while_waiting(run, ws):
    proto = run.instrument()
    waiting, last = await send_until_paused(run, ws, [])
    before = proto.transport.get_write_buffer_size()
    second = asyncio.ensure_future(timed_send(ws, last + 1))
    await asyncio.sleep(0)
    grew = proto.transport.get_write_buffer_size() - before
    run.out.append(f"a second task's send while the first waits: its frame is in the transport at once: {grew == FRAME_WIRE}")
    run.out.append(f"and it waits too: {not second.done()}")
    first_result = await asyncio.wait_for(waiting, WAIT_S)
    run.note("first send returned")
    second_result = await asyncio.wait_for(second, WAIT_S)
    run.note("second send returned")
    resume = run.index("client resumes reading")
    run.out.append(f"the first send: {first_result[1]}, the second: {second_result[1]}")
    run.out.append(
        f"both returned after the reader resumed, the first before the second: "
        f"{resume < run.index('first send returned') < run.index('second send returned')}"
    )
    run.sent = last + 2
    await ws.close()


def client_second_sender_while_waiting(run, client):
    run.resume()
    got = []
    while True:
        opcode, data = client.read_frame()
        if opcode == 8:
            break
        got.append(int(data[:5]))
    client.send_close(data)
    run.client_out.append(
        f"client read every frame in send order, the second task's last: {got == list(range(run.sent))}"
    )
    run.client_got = got


SHORT_CLOSE_TIMEOUT = 0.3  # websockets' close_timeout for this row (10 s by default)


async def app_close_timeout_while_stalled(run, ws):
    proto = run.instrument()
    proto.close_timeout = SHORT_CLOSE_TIMEOUT
    waiting, last = await send_until_paused(run, ws, [])

    sender, closer = send_and_close(run, ws, waiting)

    results = await asyncio.wait_for(asyncio.gather(sender(), closer()), WAIT_S)
    run.out.append(
        f"reader never resumes, close_timeout {SHORT_CLOSE_TIMEOUT} s: the waiting send: {results[0]}, close(): {results[1]}"
    )
    run.out.append(f"the waiting send returned before close() did: {run.index('waiting send returned') < run.index('close returned')}")
    run.out.append(f"the server's protocol state: {proto.state.name}, close_code {proto.close_code}")
    _, later = await timed_send(ws, BURST)
    run.out.append(f"a later send_text: {later}")
    run.sent = last + 1
    run.app_finished.set()


def client_close_timeout_while_stalled(run, client):
    assert run.app_finished.wait(WAIT_S), "the app did not finish"
    got, close = [], False
    try:
        while True:
            opcode, data = client.read_frame()
            if opcode == 8:
                close = True
                break
            got.append(int(data[:5]))
        end = "the server closed the TCP connection"
    except EOFError:
        end = "the server closed the TCP connection"
    except ConnectionResetError:
        end = "the server reset the TCP connection"
    run.client_out.append(f"client then read fewer frames than were sent (the transport's buffer was discarded): {len(got) < run.sent}")
    run.client_out.append(f"the frames it read are the first ones, in order: {got == list(range(len(got)))}")
    run.client_out.append(f"it got a close frame: {close}; then {end}")


ROWS = {
    "reader_active_burst": (app_reader_active_burst, client_reader_active_burst),
    "reader_stalled_burst": (app_reader_stalled_burst, client_reader_stalled_burst),
    "second_sender_while_waiting": (app_second_sender_while_waiting, client_second_sender_while_waiting),
    "reset_while_waiting": (app_reset_while_waiting, client_reset_while_waiting),
    "close_while_waiting": (app_close_while_waiting, client_close_while_waiting),
    "close_timeout_while_stalled": (app_close_timeout_while_stalled, client_close_timeout_while_stalled),
}


# ---------------------------------------------------------------------------------------
# Server and driver

CURRENT = {}


async def endpoint(ws):
    run = CURRENT["run"]
    await ws.accept()
    app, _ = ROWS[ws.query_params["row"]]
    try:
        await app(run, ws)
    except Exception as exc:  # noqa: BLE001 - a broken row prints what broke it
        run.out.append(f"app failed: {outcome(exc)}")
    finally:
        run.app_done.set()


async def drive(server, name):
    run = Run(server)
    run.app_done = asyncio.Event()
    run.loop = asyncio.get_running_loop()
    CURRENT["run"] = run
    port = server.port

    def client_thread():
        client = None
        try:
            client = RawClient(port, name)
            ROWS[name][1](run, client)
        except Exception as exc:  # noqa: BLE001
            run.client_out.append(f"client failed: {outcome(exc)}")
        finally:
            if client is not None and client.sock.fileno() != -1:
                client.sock.close()

    thread = threading.Thread(target=client_thread)
    thread.start()
    try:
        await asyncio.wait_for(run.app_done.wait(), WAIT_S * 2)
    except asyncio.TimeoutError:
        run.out.append("app did not finish")
    await asyncio.get_running_loop().run_in_executor(None, thread.join, WAIT_S * 2)
    # Lines of the two sides, app's first then client's (each side's own order).
    return run.out + run.client_out


async def main():
    logging.disable(logging.CRITICAL)
    app = Starlette(routes=[WebSocketRoute("/ws", endpoint)])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, KERNEL_BUF)  # inherited on accept
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, ws="websockets", lifespan="off", log_config=None, log_level="critical")
    server = uvicorn.Server(config)
    server.port = sock.getsockname()[1]
    serving = asyncio.ensure_future(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    rows = {}
    for name in ROWS:
        rows[name] = await drive(server, name)
    server.should_exit = True
    await serving
    return rows


if __name__ == "__main__":
    rows = asyncio.run(main())
    print(
        json.dumps(
            {"uvicorn": uvicorn.__version__, "websockets": websockets.__version__, "starlette": starlette.__version__, "rows": rows},
            indent=1,
        )
    )
