"""The runner's server side against real uvicorn: what an ASGI app observes, row by row.

Each row is a small ASGI app (``app``: a coroutine on a ``Probe``) and one client behaviour,
written twice: ``real`` drives real uvicorn 0.17.6 (``ws="websockets"``) on a loopback
socket with a raw client (real time, an asyncio stream, the handshake by hand, a TCP reset
by ``SO_LINGER 0``), and ``runner`` is the same behaviour as the runner's one-shot scenario
commands (virtual time, 1 ms latency). The app code is the same object in both; what it
observes (each ASGI call with its result or its exception's class and text, and for the
handshake whether a call let another callback run) must be the same.

    cd adapters/python/runner && /usr/bin/python3 -m conformance.rows

prints one ``row: same|DIFFERENT (real: ..., runner: ...)`` line per row and exits 1 on a
difference. tests/test_conformance.py runs it as a unittest.

Real time is fine here: this script is not the runner. Every client waits long enough
(tens of ms on loopback) for the server to have read what it wrote before the next step.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import socket
import struct
import sys
from typing import Any, Awaitable, Callable, Dict, List, Optional, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from ws_lifecycle_runner import run_scenario  # noqa: E402

APP_TIMEOUT_S = 3.0  # a real app still running after this is reported as such


def outcome(exc: BaseException) -> str:
    return f"{type(exc).__module__}.{type(exc).__name__}: {exc}"


class Probe:
    """The app's receive and send, each call noted with its result or exception."""

    def __init__(self, receive: Callable[[], Awaitable[Dict[str, Any]]], send: Callable[[Dict[str, Any]], Awaitable[None]]) -> None:
        self._receive, self._send = receive, send
        self.log: List[str] = []

    async def receive(self, turns: bool = False) -> Optional[Dict[str, Any]]:
        ran = self._mark() if turns else None
        try:
            message = await self._receive()
        except Exception as exc:  # noqa: BLE001 - the row notes whatever is raised
            self.note(f"receive raised {outcome(exc)}")
            return None
        shown = message["type"] + "".join(f" {k}={message[k]}" for k in ("code", "text") if k in message)
        self.note(f"receive -> {shown}{self._turn(ran)}")
        return message

    async def send(self, message: Dict[str, Any], turns: bool = False) -> bool:
        ran = self._mark() if turns else None
        try:
            await self._send(message)
        except Exception as exc:  # noqa: BLE001
            self.note(f"send {message['type']} raised {outcome(exc)}")
            return False
        self.note(f"send {message['type']} -> ok{self._turn(ran)}")
        return True

    def note(self, line: str) -> None:
        if not self.log or self.log[-1] != line:  # repeated sends: once (their count is timing)
            self.log.append(line)

    @staticmethod
    def _mark() -> List[bool]:
        ran: List[bool] = []
        asyncio.get_running_loop().call_soon(ran.append, True)
        return ran

    @staticmethod
    def _turn(ran: Optional[List[bool]]) -> str:
        return "" if ran is None else (" (after a loop turn)" if ran else " (no loop turn)")


ACCEPT = {"type": "websocket.accept"}
CLOSE = {"type": "websocket.close", "code": 1000}


def text(t: str) -> Dict[str, Any]:
    return {"type": "websocket.send", "text": t}


# ---------------------------------------------------------------------------------------
# The apps


async def app_handshake(p: Probe) -> None:
    await p.receive(turns=True)
    await p.send(ACCEPT, turns=True)
    while (m := await p.receive()) is not None and m["type"] == "websocket.receive":
        pass


async def app_send_after_disconnect(p: Probe) -> None:
    await p.receive()
    await p.send(ACCEPT)
    await p.receive()
    await p.send(text("late"))


async def app_close_after_disconnect(p: Probe) -> None:
    await p.receive()
    await p.send(ACCEPT)
    await p.receive()
    await p.send(CLOSE)


async def app_send_until_it_fails(p: Probe) -> None:
    await p.receive()
    await p.send(ACCEPT)
    for _ in range(50):
        if not await p.send(text("tick")):
            break
        await asyncio.sleep(0.005)
    await p.receive()


async def app_slow_accept(p: Probe) -> None:
    await p.receive()
    await asyncio.sleep(0.05)  # an authentication, say: the client leaves meanwhile
    await p.send(ACCEPT)
    await p.receive()


async def app_accept_then_receive(p: Probe) -> None:
    await p.receive()
    await p.send(ACCEPT)
    await p.receive()


# ---------------------------------------------------------------------------------------
# The real clients (raw frames on an asyncio stream)


class RawClient:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, port: int, path: str) -> "RawClient":
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        return cls(reader, writer)

    async def read_101(self) -> None:
        head = await self.reader.readuntil(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101"), head

    async def read_frame(self) -> Tuple[int, bytes]:
        b0, b1 = await self.reader.readexactly(2)
        n = b1 & 0x7F
        if n == 126:
            (n,) = struct.unpack("!H", await self.reader.readexactly(2))
        elif n == 127:
            (n,) = struct.unpack("!Q", await self.reader.readexactly(8))
        return b0 & 0x0F, await self.reader.readexactly(n)

    def frame(self, opcode: int, data: bytes) -> None:
        mask = os.urandom(4)
        self.writer.write(bytes([0x80 | opcode, 0x80 | len(data)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def send_text(self, t: str) -> None:
        self.frame(0x1, t.encode())

    async def close_handshake(self, code: int = 1000) -> None:
        self.frame(0x8, struct.pack("!H", code))
        while (await self.read_frame())[0] != 0x8:
            pass
        self.writer.close()

    async def drain_until_eof(self) -> None:
        try:
            while await self.reader.read(65536):
                pass
        except ConnectionError:
            pass

    def half_close(self) -> None:
        """FIN, no close frame: the server reads EOF; the client still reads."""
        self.writer.get_extra_info("socket").shutdown(socket.SHUT_WR)

    def reset(self) -> None:
        """Vanish: SO_LINGER 0, so the kernel sends RST and drops what is unread."""
        self.writer.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.writer.transport.abort()


async def real_handshake(port: int, path: str) -> None:
    c = await RawClient.connect(port, path)
    await c.read_101()
    c.send_text("hi")
    await asyncio.sleep(0.02)
    await c.close_handshake(1000)


async def real_close_handshake(port: int, path: str) -> None:
    c = await RawClient.connect(port, path)
    await c.read_101()
    await c.close_handshake(1000)


async def real_vanish_fin(port: int, path: str) -> None:
    c = await RawClient.connect(port, path)
    await c.read_101()
    reading = asyncio.ensure_future(c.drain_until_eof())
    await asyncio.sleep(0.03)
    c.half_close()
    await reading


async def real_vanish_rst(port: int, path: str) -> None:
    c = await RawClient.connect(port, path)
    await c.read_101()
    await asyncio.sleep(0.03)
    c.reset()


async def real_reset_in_handshake(port: int, path: str) -> None:
    c = await RawClient.connect(port, path)
    await asyncio.sleep(0.015)  # the server has read the request; the app is in its accept
    c.reset()


async def real_fin_in_handshake(port: int, path: str) -> None:
    c = await RawClient.connect(port, path)
    await asyncio.sleep(0.015)
    c.half_close()
    await c.drain_until_eof()


async def real_reset_on_101(port: int, path: str) -> None:
    c = await RawClient.connect(port, path)
    await c.reader.readexactly(1)  # the first byte of the 101
    c.reset()


# ---------------------------------------------------------------------------------------
# The table: name -> (app, real client, the runner's commands for the same client)


def _open() -> Dict[str, Any]:
    return {"atMs": 0, "kind": "open", "conn": "c1"}


Row = Tuple[Callable[[Probe], Awaitable[None]], Callable[[int, str], Awaitable[None]], List[Dict[str, Any]]]

ROWS: Dict[str, Row] = {
    # The app is called once the upgrade request is read: connect is there on its first
    # receive, and accept returns, without a loop turn in between.
    "handshake_timing": (app_handshake, real_handshake, [_open(), {"atMs": 10, "kind": "message", "conn": "c1", "text": "hi"}, {"atMs": 30, "kind": "close", "conn": "c1", "code": 1000}]),
    # receive() returned websocket.disconnect (the client's close handshake), then a send.
    "send_after_disconnect": (app_send_after_disconnect, real_close_handshake, [_open(), {"atMs": 10, "kind": "close", "conn": "c1", "code": 1000}]),
    # The same, then the app's close.
    "close_after_disconnect": (app_close_after_disconnect, real_close_handshake, [_open(), {"atMs": 10, "kind": "close", "conn": "c1", "code": 1000}]),
    # The app sends every 5 ms; the client leaves without a close frame (FIN, still reading).
    "send_to_vanished_fin": (app_send_until_it_fails, real_vanish_fin, [_open(), {"atMs": 30, "kind": "abrupt", "conn": "c1"}]),
    # The same, the client resets its TCP connection (unread frames dropped).
    "send_to_vanished_rst": (app_send_until_it_fails, real_vanish_rst, [_open(), {"atMs": 30, "kind": "abrupt", "conn": "c1"}]),
    # The client resets during the handshake, while the app awaits before accept (auth).
    "reset_before_accept": (app_slow_accept, real_reset_in_handshake, [_open(), {"atMs": 15, "kind": "abrupt", "conn": "c1"}]),
    # The same with a FIN.
    "fin_before_accept": (app_slow_accept, real_fin_in_handshake, [_open(), {"atMs": 15, "kind": "abrupt", "conn": "c1"}]),
    # The app accepts at once; the client resets as the 101 reaches it.
    "reset_on_101": (app_accept_then_receive, real_reset_on_101, [_open(), {"atMs": 2, "kind": "abrupt", "conn": "c1"}]),
}


def _asgi(row: Callable[[Probe], Awaitable[None]], log: List[str], done: Optional[asyncio.Event] = None) -> Any:
    async def app(scope: Dict[str, Any], receive: Any, send: Any) -> None:
        probe = Probe(receive, send)
        probe.log = log
        try:
            await row(probe)
            probe.note("returned")
        finally:
            if done is not None:
                done.set()

    return app


# ---------------------------------------------------------------------------------------
# Running the table


def run_runner(name: str) -> List[str]:
    """The row's app in the runner on virtual time, its client as scenario commands."""
    app, _, commands = ROWS[name]
    log: List[str] = []
    run_scenario(_asgi(app, log), {"path": "/ws", "latencyMs": [1, 1], "seed": 0, "settleMs": 2000, "commands": commands}, design=name)
    return log


async def _run_real() -> Dict[str, List[str]]:
    import uvicorn

    current: Dict[str, Any] = {}

    async def dispatch(scope: Dict[str, Any], receive: Any, send: Any) -> None:
        await current["app"](scope, receive, send)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(dispatch, ws="websockets", lifespan="off", log_config=None, log_level="critical"))
    serving = asyncio.ensure_future(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.005)
    out: Dict[str, List[str]] = {}
    try:
        for name, (app, client, _) in ROWS.items():
            log: List[str] = []
            done = asyncio.Event()
            current["app"] = _asgi(app, log, done)
            driving = asyncio.ensure_future(client(port, "/ws"))
            try:
                await asyncio.wait_for(done.wait(), APP_TIMEOUT_S)
            except asyncio.TimeoutError:
                log.append(f"still running after {APP_TIMEOUT_S} s")
            try:
                await asyncio.wait_for(driving, 1.0)
            except (asyncio.TimeoutError, ConnectionError, asyncio.IncompleteReadError, OSError):
                pass
            out[name] = log
    finally:
        server.should_exit = True
        await serving
    return out


def run_real() -> Dict[str, List[str]]:
    """Every row's app under real uvicorn on a loopback socket."""
    logging.disable(logging.CRITICAL)
    try:
        return asyncio.run(_run_real())
    finally:
        logging.disable(logging.NOTSET)


# ---------------------------------------------------------------------------------------
# The transport under websockets: asyncio's selector socket transport against SimTransport.
# Each row is a sequence of calls on the server's transport; what each call did (returned,
# or raised) must be the same.

TRANSPORT_ROWS: Dict[str, List[str]] = {
    "write_after_close": ["write", "close", "write"],
    "write_after_abort": ["write", "abort", "write"],
    "write_after_write_eof": ["write", "write_eof", "write"],
    "write_eof_after_close": ["close", "write_eof", "write"],
}


def _calls(transport: asyncio.Transport, calls: List[str]) -> List[str]:
    out = []
    for call in calls:
        try:
            transport.write(b"x") if call == "write" else getattr(transport, call)()
            out.append(f"{call} -> ok")
        except Exception as exc:  # noqa: BLE001
            out.append(f"{call} raised {outcome(exc)}")
    return out


def run_transport_real(calls: List[str]) -> List[str]:
    async def go() -> List[str]:
        a, b = socket.socketpair()
        transport, _ = await asyncio.get_running_loop().connect_accepted_socket(asyncio.Protocol, a)
        try:
            return _calls(transport, calls)
        finally:
            transport.abort()
            b.close()

    return asyncio.run(go())


def run_transport_runner(calls: List[str]) -> List[str]:
    from ws_lifecycle_runner.loop import VirtualLoop
    from ws_lifecycle_runner.net import transport_pair

    loop = VirtualLoop()
    try:
        _, server = transport_pair(loop, lambda: 0.001, 40001)
        server.attach(asyncio.Protocol())
        return _calls(server, calls)
    finally:
        loop.close()


def compare() -> List[Tuple[str, bool, List[str], List[str]]]:
    real = run_real()
    rows = [(name, real[name] == runner, real[name], runner) for name, runner in ((n, run_runner(n)) for n in ROWS)]
    for name, calls in TRANSPORT_ROWS.items():
        r, s = run_transport_real(calls), run_transport_runner(calls)
        rows.append((f"transport_{name}", r == s, r, s))
    return rows


def main() -> int:
    different = 0
    for name, same, real, runner in compare():
        if same:
            print(f"{name}: same ({'; '.join(real)})")
        else:
            different += 1
            print(f"{name}: DIFFERENT (real: {'; '.join(real)}, runner: {'; '.join(runner)})")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
