"""An in-memory TCP connection between two asyncio protocols, on a VirtualLoop.

Each direction is a FIFO link: a write is delivered after a latency drawn by the caller's
function, but never before an earlier write of the same direction (TCP keeps order), so the
delivery time is ``max(now + latency, last delivery)``. One timer per direction is armed at a
time, for the head of its queue, so two deliveries never race on the timer heap.

The transport mirrors what asyncio's selector socket transport does for a protocol
(Lib/asyncio/selector_events.py): ``close()`` delivers what was written, then the peer reads
EOF and the own protocol gets ``connection_lost(None)`` on the next turn; ``abort()`` loses
the connection at once (the peer still reads what was already in flight, then EOF); writes
after the connection was lost are dropped; ``eof_received()`` returning a false value closes
the transport.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any, Callable, Deque, Optional, Tuple

from .loop import VirtualLoop


class _Link:
    """One direction: bytes and EOF from one transport to the other's protocol, in order."""

    def __init__(self, loop: VirtualLoop, latency: Callable[[], float]) -> None:
        self.loop = loop
        self.latency = latency
        self.queue: Deque[Tuple[float, Optional[bytes]]] = deque()  # None = EOF
        self.last_due = 0.0
        self.armed = False
        self.dst: Optional["SimTransport"] = None

    def push(self, data: Optional[bytes]) -> None:
        due = max(self.loop.time() + self.latency(), self.last_due)
        self.last_due = due
        self.queue.append((due, data))
        self._arm()

    def _arm(self) -> None:
        if not self.armed and self.queue:
            self.armed = True
            self.loop.call_at(self.queue[0][0], self._deliver)

    def _deliver(self) -> None:
        self.armed = False
        now = self.loop.time()
        while self.queue and self.queue[0][0] <= now:
            _, data = self.queue.popleft()
            assert self.dst is not None
            self.dst._arrived(data)
        self._arm()


class SimTransport(asyncio.Transport):
    """One end of an in-memory connection (the protocol it serves is set by ``attach``)."""

    def __init__(self, loop: VirtualLoop, out: _Link, peername: Tuple[str, int], sockname: Tuple[str, int]) -> None:
        super().__init__()
        self._loop = loop
        self._out = out
        self._protocol: Optional[asyncio.Protocol] = None
        self._extra = {"peername": peername, "sockname": sockname}
        self._closing = False
        self._lost = False
        self._eof_sent = False
        self._eof_rcvd = False
        self.written = 0

    def attach(self, protocol: asyncio.Protocol) -> None:
        self._protocol = protocol

    # -- asyncio.Transport
    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._extra.get(name, default)

    def is_closing(self) -> bool:
        return self._closing

    def set_write_buffer_limits(self, high: Optional[int] = None, low: Optional[int] = None) -> None:
        pass

    def get_write_buffer_size(self) -> int:
        return 0

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def is_reading(self) -> bool:
        return not self._lost

    def can_write_eof(self) -> bool:
        return True

    def write(self, data: bytes) -> None:
        if self._eof_sent:
            raise RuntimeError("Cannot call write() after write_eof()")
        if self._lost or not data:
            return  # asyncio drops a write once the connection is lost
        self.written += len(data)
        self._out.push(bytes(data))

    def write_eof(self) -> None:
        if self._eof_sent or self._lost:
            return
        self._eof_sent = True
        self._out.push(None)

    def close(self) -> None:
        if self._closing:
            return
        self._closing = True
        self.write_eof()
        self._lose()

    def abort(self) -> None:
        self._closing = True
        if not self._eof_sent and not self._lost:
            self._eof_sent = True
            self._out.push(None)  # the peer reads EOF after what was in flight
        self._lose()

    def _lose(self) -> None:
        if self._lost:
            return
        self._lost = True
        if self._protocol is not None:
            self._loop.call_soon(self._protocol.connection_lost, None)

    # -- the other end's bytes
    def _arrived(self, data: Optional[bytes]) -> None:
        if self._lost or self._protocol is None:
            return
        if data is not None:
            self._protocol.data_received(data)
            return
        self._eof_rcvd = True
        keep_open = self._protocol.eof_received()
        if not keep_open:
            self.close()


def transport_pair(
    loop: VirtualLoop, latency: Callable[[], float], client_port: int
) -> Tuple[SimTransport, SimTransport]:
    """(client end, server end) of one connection; `latency()` gives seconds per write."""
    up, down = _Link(loop, latency), _Link(loop, latency)
    client_addr, server_addr = ("10.0.0.2", client_port), ("10.0.0.1", 8000)
    client = SimTransport(loop, up, peername=server_addr, sockname=client_addr)
    server = SimTransport(loop, down, peername=client_addr, sockname=server_addr)
    up.dst, down.dst = server, client
    return client, server
