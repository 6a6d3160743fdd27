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
from typing import Any, Callable, Deque, Dict, List, Optional, Tuple

from .chooser import Chooser
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
    """One end of an in-memory connection (the protocol it serves is set by ``attach``).

    With a ``Wire`` (the worker's runs), the server end's writes go through the wire's fault
    and flow-control rules and the client end's arrivals through its reader; without one
    (the one-shot CLI) they go straight to the link.
    """

    def __init__(self, loop: VirtualLoop, out: Any, peername: Tuple[str, int], sockname: Tuple[str, int]) -> None:
        super().__init__()
        self._loop = loop
        self._out = out
        self._protocol: Optional[asyncio.Protocol] = None
        self._extra = {"peername": peername, "sockname": sockname}
        self._closing = False
        self._lost = False
        self._eof_sent = False  # the EOF is on its way to the peer (write_eof, close, abort)
        self._eof_called = False  # the protocol called write_eof(): asyncio's `_eof`
        self._eof_rcvd = False
        self.written = 0
        self.wire: Optional["Wire"] = None
        # Extra delay of the next write only (the client's upgrade request: handshake delay).
        self.next_extra_us = 0

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
        wire = self.wire
        return sum(len(b) for b in wire.held) if wire is not None and wire.server is self else 0

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def is_reading(self) -> bool:
        return not self._lost

    def can_write_eof(self) -> bool:
        return True

    def write(self, data: bytes) -> None:
        # asyncio's _SelectorSocketTransport.write: only the protocol's own write_eof() makes a
        # write an error; after close(), abort() or a failed write it is dropped silently.
        if self._eof_called:
            raise RuntimeError("Cannot call write() after write_eof()")
        if self._lost or not data:
            return  # asyncio drops a write once the connection is lost
        self.written += len(data)
        wire = self.wire
        if wire is not None and wire.server is self:
            wire.server_write(bytes(data))
        else:
            self._send(bytes(data))

    def _send(self, data: Optional[bytes]) -> None:
        if self.next_extra_us:
            extra, self.next_extra_us = self.next_extra_us, 0
            self._out.push(data, extra)
        else:
            self._out.push(data)

    def write_eof(self) -> None:
        if self._closing or self._eof_called:
            return  # asyncio: nothing once closing
        self._eof_called = True
        self._send_eof()

    def _send_eof(self) -> None:
        if self._eof_sent or self._lost:
            return
        wire = self.wire
        if wire is not None and wire.server is self and wire.held:
            wire.eof_after_flush = True  # asyncio sends the EOF once its buffer is flushed
            return
        self._eof_sent = True
        self._send(None)

    def close(self) -> None:
        if self._closing:
            return
        self._closing = True
        wire = self.wire
        if wire is not None and wire.server is self and wire.held:
            # asyncio's close() waits for the write buffer to be flushed (selector_events.py).
            wire.close_after_flush = True
            return
        self._send_eof()
        self._lose()

    def abort(self) -> None:
        self._closing = True
        wire = self.wire
        if wire is not None and wire.server is self:
            wire.held.clear()
        if not self._eof_sent and not self._lost:
            self._eof_sent = True
            self._send(None)  # the peer reads EOF after what was in flight
        self._lose()

    def _lose(self, exc: Optional[BaseException] = None) -> None:
        if self._lost:
            return
        self._lost = True
        if self._protocol is not None:
            self._loop.call_soon(self._protocol.connection_lost, exc)

    def force_close(self, exc: BaseException) -> None:
        """asyncio's ``_force_close`` after a failed write: the buffer is dropped, nothing more
        is sent (no EOF: the connection is broken), ``connection_lost(exc)`` on the next turn."""
        self._closing = True
        self._eof_sent = True
        self._lose(exc)

    # -- the other end's bytes
    def _arrived(self, data: Optional[bytes]) -> None:
        if self._lost or self._protocol is None:
            return
        wire = self.wire
        if wire is not None:
            if wire.client is self:
                wire.client_arrived(data)
                return
            if data is None and wire.held:
                # The peer is gone with frames still in the server's buffer: the reset fails
                # the transport (asyncio: a fatal write error), the waiting sends raise.
                wire.held.clear()
                self.force_close(ConnectionResetError("Connection lost"))
                return
            if wire.on_arrival is not None:
                start, wire.on_arrival = wire.on_arrival, None
                start()
        self._hand_over(data)

    def _hand_over(self, data: Optional[bytes]) -> None:
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


# ---------------------------------------------------------------------------------------
# The worker's network: every decision read from the scenario's chooser.


class Network:
    """Every link of one run, on integer microseconds, with the chooser deciding latencies,
    faults and the order of deliveries due at the same instant on different links (the
    kernel gives no order across sockets: a choice of label ``hop``, 0 = the order in which
    they became due). One loop timer per instant, so the loop's heap never decides it.
    """

    def __init__(self, loop: VirtualLoop, chooser: Chooser, knobs: Dict[str, Any], faults_active: Callable[[], bool], entry: Callable[..., Any]) -> None:
        self.loop = loop
        self.chooser = chooser
        self.knobs = knobs
        self.faults_active = faults_active
        self.entry = entry  # the recorder's entry(conn, actor, action, **fields)
        lo = max(0, int(knobs.get("latencyMsMin", 0)))
        self.lat_min = lo
        self.lat_spread = max(lo, int(knobs.get("latencyMsMax", 0))) - lo
        self._due: Dict[int, List["ChoiceLink"]] = {}

    def now_us(self) -> int:
        return round(self.loop.time() * 1_000_000)

    def latency_us(self) -> int:
        return (self.lat_min + self.chooser.choose("latency", self.lat_spread)) * 1000

    def fault(self, label: str, knob: str) -> bool:
        """src/sim/faults.ts `fires`: the knob is on, faults are active, the chooser says so."""
        rate = self.knobs.get(knob) or 0
        return rate > 0 and self.faults_active() and self.chooser.chance(label, rate)

    def arm(self, link: "ChoiceLink", due_us: int) -> None:
        links = self._due.get(due_us)
        if links is None:
            self._due[due_us] = [link]
            self.loop.call_at(due_us / 1_000_000, self._fire, due_us)
        else:
            links.append(link)

    def _fire(self, due_us: int) -> None:
        links = self._due.pop(due_us)
        while links:
            k = self.chooser.choose("hop", len(links) - 1) if len(links) > 1 else 0
            links.pop(k).deliver(due_us)

    def pair(self, conn: str, client_port: int) -> Tuple[SimTransport, SimTransport, "Wire"]:
        up, down = ChoiceLink(self), ChoiceLink(self)
        client_addr, server_addr = ("10.0.0.2", client_port), ("10.0.0.1", 8000)
        client = SimTransport(self.loop, up, peername=server_addr, sockname=client_addr)
        server = SimTransport(self.loop, down, peername=client_addr, sockname=server_addr)
        up.dst, down.dst = server, client
        wire = Wire(self, conn, client, server)
        client.wire = server.wire = wire
        return client, server, wire


class ChoiceLink:
    """One direction: a write arrives at max(now + extra + latency, the previous arrival)."""

    __slots__ = ("net", "queue", "last_due", "armed", "dst")

    def __init__(self, net: Network) -> None:
        self.net = net
        self.queue: Deque[Tuple[int, Optional[bytes]]] = deque()  # None = EOF
        self.last_due = 0
        self.armed = False
        self.dst: Optional[SimTransport] = None

    def push(self, data: Optional[bytes], extra_us: int = 0) -> None:
        net = self.net
        due = max(net.now_us() + extra_us + net.latency_us(), self.last_due)
        self.last_due = due
        self.queue.append((due, data))
        if not self.armed:
            self.armed = True
            net.arm(self, due)

    def deliver(self, now_us: int) -> None:
        self.armed = False
        queue = self.queue
        while queue and queue[0][0] <= now_us:
            data = queue.popleft()[1]
            assert self.dst is not None
            self.dst._arrived(data)
        if queue and not self.armed:
            self.armed = True
            self.net.arm(self, queue[0][0])


class Wire:
    """The faults and flow control of one connection (src/sim/client.ts, src/sim/network.ts).

    * A data frame the server writes finds the connection broken (``sendFail``): asyncio's
      write fails and the transport is lost (``connection_lost(ConnectionResetError)``); the
      browser is gone too.
    * ``writeBufferFrames`` (the server transport's high-water mark, in frames written and
      not yet read by the browser): a write that takes them above it pauses the transport
      (``protocol.pause_writing()``, as asyncio's ``_maybe_pause_protocol``; websockets'
      ``drain()`` then waits) and is held in the transport's buffer with every later write;
      once the browser has read down to a quarter of the mark the transport resumes: the held
      frames leave, then ``protocol.resume_writing()`` on the next turn. ``net/paused`` and
      ``net/resumed`` entries, ``detail.unread``.
    * The browser's reader stalls (``readStall``, per frame reaching it while it is open and
      reading) for 1 to ``readStallMsMax`` ms (``client/stalled``, ``detail.ms``); what arrives
      meanwhile is read, in order, when it resumes.
    """

    def __init__(self, net: Network, conn: str, client: SimTransport, server: SimTransport) -> None:
        self.net = net
        self.conn = conn
        self.client = client
        self.server = server
        self.high = int(net.knobs.get("writeBufferFrames") or 0)
        self.unread = 0
        self.paused = False
        self.held: Deque[bytes] = deque()
        self.eof_after_flush = False
        self.close_after_flush = False
        self.stalled = False
        self.unread_frames: List[Optional[bytes]] = []
        self.on_arrival: Optional[Callable[[], None]] = None  # the upgrade request reached the server

    # -- server side
    def server_write(self, data: bytes) -> None:
        net = self.net
        if self._is_data_frame(data) and net.fault("sendFail", "sendFailurePerMillion"):
            self.held.clear()
            self.server.force_close(ConnectionResetError("Connection reset by peer"))
            self.client.force_close(ConnectionResetError("Connection reset by peer"))  # the browser is gone
            return
        if self.high > 0:
            if not self.paused and not self.held and self.unread + 1 > self.high:
                self.paused = True
                net.entry(self.conn, "net", "paused", detail={"unread": self.unread + 1})
                pause = getattr(self.server._protocol, "pause_writing", None)
                if pause is not None:
                    pause()
            if self.paused or self.held:
                self.held.append(data)
                return
            self.unread += 1
        self.server._send(data)

    def _is_data_frame(self, data: bytes) -> bool:
        state = getattr(self.server._protocol, "state", None)
        return getattr(state, "name", "") == "OPEN" and (data[0] & 0x0F) in (0, 1, 2)

    def _read_one(self) -> None:
        """The browser read one frame: at a quarter of the mark, the paused transport resumes."""
        if self.high == 0:
            return
        if self.unread > 0:
            self.unread -= 1
        if self.paused and self.unread <= self.high // 4:
            self.paused = False
            self.net.entry(self.conn, "net", "resumed", detail={"unread": self.unread})
            self.net.loop.call_soon(self._flush)

    def _flush(self) -> None:
        server = self.server
        if server._lost:
            return
        while self.held and not self.paused:
            server._send(self.held.popleft())
            self.unread += 1
        proto = server._protocol
        if getattr(proto, "_paused", False):
            proto.resume_writing()  # type: ignore[union-attr]
        if self.held:
            return
        if self.close_after_flush:
            self.close_after_flush = False
            server._eof_sent = False
            server._send_eof()
            server._lose()
        elif self.eof_after_flush:
            self.eof_after_flush = False
            server._send_eof()

    # -- client side
    def client_arrived(self, data: Optional[bytes]) -> None:
        if data is not None and not self.stalled and self._stalls_now():
            self.stalled = True
        if self.stalled:
            self.unread_frames.append(data)
        else:
            self._read(data)

    def _stalls_now(self) -> bool:
        state = getattr(self.client._protocol, "state", None)
        if getattr(state, "name", "") != "OPEN" or not self.net.fault("readStall", "readStallPerMillion"):
            return False
        ms = 1 + self.net.chooser.choose("readStallMs", max(0, int(self.net.knobs.get("readStallMsMax") or 1) - 1))
        self.net.entry(self.conn, "client", "stalled", detail={"ms": ms})
        self.net.loop.call_at((self.net.now_us() + ms * 1000) / 1_000_000, self._resume_reading)
        return True

    def _resume_reading(self) -> None:
        self.stalled = False
        frames, self.unread_frames = self.unread_frames, []
        for data in frames:
            self._read(data)

    def _read(self, data: Optional[bytes]) -> None:
        if data is not None:
            self._read_one()
        self.client._hand_over(data)
