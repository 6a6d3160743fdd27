"""An asyncio event loop on virtual time, for deterministic runs of real asyncio code.

``VirtualLoop`` is CPython 3.11's ``asyncio.BaseEventLoop`` with its own clock and a selector
that never waits: ``BaseEventLoop._run_once`` (Lib/asyncio/base_events.py) is used unchanged.
It computes the select timeout as 0 when callbacks are ready and otherwise as the delay to the
earliest timer (``timeout = min(max(0, when - self.time()), MAXIMUM_SELECT_TIMEOUT)``), calls
``self._selector.select(timeout)``, moves every timer with ``when < self.time() +
self._clock_resolution`` to the ready queue, and runs exactly the callbacks that were ready
when the turn began, in FIFO order (``ntodo = len(self._ready)``). ``_VirtualSelector.select``
advances the virtual clock to that earliest timer instead of sleeping, so:

* the order of ready callbacks (``call_soon`` chains, task steps, future callbacks) is
  asyncio's own, never reordered;
* timers fire in ``_scheduled`` heap order at their exact virtual time;
* no real time passes: a run of 60 virtual seconds takes as long as its callbacks.

There is no real I/O: no file descriptor is ever registered (``add_reader`` and friends
raise), ``run_in_executor`` raises (threads would run outside the virtual clock), and so does
``threading.Thread.start`` inside ``patched_clock`` (anyio's worker threads, Starlette's
``run_in_threadpool``).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from asyncio import base_events
from contextlib import contextmanager
from typing import Any, Callable, Iterator, List, Optional

# time.time() inside a run reads this epoch plus the virtual time (seconds).
VIRTUAL_EPOCH = 1_700_000_000.0


class SimulationError(RuntimeError):
    """Something the simulation cannot run deterministically (threads, real I/O, a stall)."""


class _VirtualSelector:
    """Stands where ``_run_once`` expects a selector: a select never blocks, it moves time."""

    def __init__(self, loop: "VirtualLoop") -> None:
        self._loop = loop

    def select(self, timeout: Optional[float]) -> List[Any]:
        loop = self._loop
        if timeout is None:
            # Nothing ready and no timer: a real loop would wait for I/O forever.
            raise SimulationError("the simulated event loop is idle: nothing is ready and no timer is scheduled")
        if timeout > 0 and loop._scheduled:
            # Nothing is left to run at this instant: `on_idle` may look at the quiet state
            # (and schedule something, e.g. end the run); then time stays where it is.
            if loop.on_idle is not None:
                loop.on_idle()
                if loop._ready:
                    return []
            # _run_once computed timeout from the head timer (cancelled heads were popped):
            # jump exactly to its `when`, so `when < time() + resolution` holds and it fires.
            loop._now = max(loop._now, loop._scheduled[0]._when)
        return []

    def close(self) -> None:
        pass


class VirtualLoop(base_events.BaseEventLoop):
    """``BaseEventLoop`` whose ``time()`` is virtual (seconds from 0) and which never blocks."""

    def __init__(self) -> None:
        super().__init__()
        self._now = 0.0
        self._selector = _VirtualSelector(self)
        # Timers fire at their exact virtual time; no resolution slack is needed.
        self._clock_resolution = 1e-9
        # Called when the loop is about to move time forward (nothing ready at this instant).
        self.on_idle: Optional[Callable[[], None]] = None

    def time(self) -> float:
        return self._now

    # BaseEventLoop leaves these to subclasses (Lib/asyncio/base_events.py raises
    # NotImplementedError); a virtual loop has no self-pipe and no file descriptors.
    def _process_events(self, event_list: List[Any]) -> None:
        pass

    def _write_to_self(self) -> None:
        pass

    def run_in_executor(self, executor: Any, func: Callable[..., Any], *args: Any) -> Any:
        raise SimulationError(
            f"run_in_executor({getattr(func, '__qualname__', func)!r}) is not simulated: threads run outside the virtual clock"
        )

    def _no_io(self, *args: Any, **kwargs: Any) -> Any:
        raise SimulationError("real I/O is not simulated (sockets, readers, writers, subprocesses)")

    add_reader = add_writer = remove_reader = remove_writer = _no_io  # type: ignore[assignment]
    sock_recv = sock_sendall = sock_connect = sock_accept = _no_io  # type: ignore[assignment]
    create_connection = create_server = getaddrinfo = subprocess_exec = subprocess_shell = _no_io  # type: ignore[assignment]

    def pending_timers(self) -> int:
        return sum(1 for h in self._scheduled if not h._cancelled)


_STDLIB = os.path.dirname(os.__file__)


@contextmanager
def patched_clock(loop: VirtualLoop, on_app_read: Callable[[str, str], None]) -> Iterator[None]:
    """Within the block, ``time.time`` and ``time.monotonic`` read the loop's virtual clock.

    ``on_app_read(function, "file:line")`` is called on each read from outside the standard
    library (the app, or a library it uses); stdlib readers such as ``logging`` stamping a
    record are not reported. ``datetime.now()`` and ``time.perf_counter()`` are not patched
    (C types, and perf_counter is only used for durations): an app reading them sees the real
    clock. ``threading.Thread.start`` raises ``SimulationError``.
    """
    saved = (time.time, time.monotonic, threading.Thread.start)

    def caller() -> str:
        frame = sys._getframe(2)
        return f"{frame.f_code.co_filename}:{frame.f_lineno}"

    def fake_time() -> float:
        where = caller()
        if not where.startswith(_STDLIB):
            on_app_read("time.time", where)
        return VIRTUAL_EPOCH + loop.time()

    def fake_monotonic() -> float:
        where = caller()
        if not where.startswith(_STDLIB):
            on_app_read("time.monotonic", where)
        return loop.time()

    def no_thread(self: threading.Thread) -> None:
        raise SimulationError(f"starting a thread ({self.name}) is not simulated: threads run outside the virtual clock")

    time.time, time.monotonic = fake_time, fake_monotonic  # type: ignore[assignment]
    threading.Thread.start = no_thread  # type: ignore[assignment]
    try:
        yield
    finally:
        time.time, time.monotonic, threading.Thread.start = saved  # type: ignore[assignment]


__all__ = ["VirtualLoop", "SimulationError", "patched_clock", "VIRTUAL_EPOCH"]
