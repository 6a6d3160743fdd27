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

import asyncio
import math
import os
import sys
import threading
import time
from asyncio import base_events
from contextlib import contextmanager
from typing import Any, Callable, Iterator, List, Optional, Tuple

# time.time() inside a run reads this epoch plus the virtual time (seconds).
VIRTUAL_EPOCH = 1_700_000_000.0


# Loop turns (``_run_once`` calls) one virtual millisecond may take before the run is
# declared livelocked. A task whose loop never suspends for long keeps a step ready forever
# (``await queue.put(item)`` after a ``wait_for(queue.get())`` that finds the item at once:
# seed 000's re-queue loop), so time never advances and the run would never end. A real app
# needs far fewer: a turn runs every callback ready at once, so the busiest ms of FastAPI's
# chat demo (3 clients, a vanishing one, a broadcast) takes 18 turns, and 100 connections
# opening, broadcast to and written to in the same ms take 22 (tests/test_livelock.py
# measures the first). 100,000 turns cost about 0.5 s of CPU, well inside the TypeScript
# pool's 5 s budget of a run; src/sim/simClock.ts `livelockTurns` is the same number.
TURNS_PER_MS = 100_000
# Loop turns one run may take: a loop that sleeps a microsecond per iteration creeps on at
# 1,000 turns a ms and would reach a 10 s horizon after 10 million turns. The chat demo's
# run (16 s of settling, its 5 ms poll included) takes about 6,300 turns; 1,000,000 turns of
# that creeping loop take about 2.6 s of CPU, inside the TypeScript pool's 5 s budget of a
# run (which would end the run as hung, without saying why).
TURNS_PER_RUN = 1_000_000
# After a bound is reached, turns the loop may still take to find the task behind it (a step
# of a task running code outside the standard library: a ``wait_for`` loop alternates its own
# task with the helper task and callbacks of ``wait_for``).
_PROBE_TURNS = 16


class SimulationError(RuntimeError):
    """Something the simulation cannot run deterministically (threads, real I/O, a stall)."""


class Livelock(SimulationError):
    """The loop turned ``TURNS_PER_MS`` times within one virtual millisecond (or
    ``TURNS_PER_RUN`` in the run); raised out of
    ``run_until_complete`` before the next turn (no callback is left half-run). ``culprit``
    is the connection (``conn_of_handle``) of what was still ready, else None."""

    def __init__(self, reason: str, culprit: Optional[str]) -> None:
        super().__init__(reason)
        self.reason = reason
        self.culprit = culprit


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
        # The livelock bound: turns taken within the current virtual ms.
        self.turn_limit = TURNS_PER_MS
        self.run_turn_limit = TURNS_PER_RUN
        self._ms = -1
        self._turns = self._run_turns = self._probe = 0
        # Names the connection a ready callback works for (from its context), for the
        # livelock's message; None when it cannot tell.
        self.conn_of_handle: Callable[[Any], Optional[str]] = lambda handle: None

    def _run_once(self) -> None:
        ms = math.floor(self._now * 1000 + 1e-6)
        if ms != self._ms:
            self._ms, self._turns = ms, 0
        self._turns += 1
        self._run_turns += 1
        if self._turns > self.turn_limit or self._run_turns > self.run_turn_limit:
            found = self._spinning_task()
            self._probe += 1
            if found is not None or self._probe > _PROBE_TURNS:
                stop = self._livelock(found)
                self._turns = self._run_turns = self._probe = 0  # the unwinding gets a fresh budget
                raise stop
        super()._run_once()

    def _spinning_task(self) -> Optional[Tuple[str, Any]]:
        """The first ready step of a task running code outside the standard library: the
        innermost such coroutine's name, and the handle."""
        for handle in self._ready:
            task = getattr(handle._callback, "__self__", None)
            if not handle._cancelled and isinstance(task, asyncio.Task):
                name = _innermost_outside_stdlib(task.get_coro())
                if name is not None:
                    return name, handle
        return None

    def _livelock(self, found: Optional[Tuple[str, Any]]) -> Livelock:
        at = f"{round(self._now * 1000, 3):g} ms"
        if found is None:
            what, culprit = "a callback", None
        else:
            culprit = self.conn_of_handle(found[1])
            what = f"task {found[0]}" + ("" if culprit is None else f" of {culprit}")
        if self._turns > self.turn_limit:
            reason = f"livelock: {what} kept the event loop busy for {self.turn_limit} turns at {at} (a loop none of whose awaits suspends, so time cannot advance)"
        else:
            reason = f"livelock: {what} kept the event loop busy for {self.run_turn_limit} turns in one run, up to {at} (time advances too slowly for the run to reach its end)"
        return Livelock(reason, culprit)

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


def _innermost_outside_stdlib(coro: Any) -> Optional[str]:
    """The qualified name of the innermost coroutine, along what `coro` awaits, whose code is
    outside the standard library (the app's, or a library's), or None."""
    name = None
    for _ in range(200):
        code = getattr(coro, "cr_code", None) or getattr(coro, "gi_code", None) or getattr(coro, "ag_code", None)
        if code is None:
            break
        if not code.co_filename.startswith(_STDLIB):
            name = code.co_qualname
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None) or getattr(coro, "ag_await", None)
    return name


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


__all__ = ["VirtualLoop", "SimulationError", "Livelock", "TURNS_PER_MS", "TURNS_PER_RUN", "patched_clock", "VIRTUAL_EPOCH"]
