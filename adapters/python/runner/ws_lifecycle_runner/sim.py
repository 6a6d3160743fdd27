"""Runs a Starlette/FastAPI WebSocket app under uvicorn's real protocol on virtual time.

``run_scenario(app, scenario)`` serves ``app`` (an ASGI app, or "module:attr" /
"file.py:attr('arg')") with uvicorn 0.17.6's ``WebSocketProtocol`` (websockets 10.4's legacy
server protocol underneath) over in-memory transports, drives websockets' legacy client
protocol for each simulated browser as the scenario says, and returns the trace (header and
entries) in docs/trace.md's format. The app's calls are recorded by
``ws_lifecycle_recorder.RecorderMiddleware``, so the entries are the ones a real recording of
the same app has; the runner adds what only a simulation sees (``client/received``,
``design/log`` for clock reads and uvicorn's log, ``harness/settled``).
"""

from __future__ import annotations

import ast
import asyncio
import contextvars
import importlib
import importlib.util
import json
import logging
import os
import random
import sys
from typing import Any, Callable, Dict, List, Optional, Union

from .loop import Livelock, SimulationError, VirtualLoop, patched_clock
from .net import SimTransport, transport_pair

_HERE = os.path.dirname(os.path.abspath(__file__))
try:
    import ws_lifecycle_recorder as recorder_mod
except ImportError:  # the repository layout: adapters/python/ws_lifecycle_recorder.py
    sys.path.insert(0, os.path.dirname(os.path.dirname(_HERE)))
    import ws_lifecycle_recorder as recorder_mod

RECORDER = "ws_lifecycle_runner (python, virtual time)"
DEFAULT_SETTLE_MS = 16_000  # above P10's 15 s handler settle bound
POLL_S = 0.005

_current_conn: contextvars.ContextVar[Optional[str]] = contextvars.ContextVar("ws_lifecycle_conn", default=None)


class ScenarioError(ValueError):
    """The scenario or the app reference is malformed (one line for the CLI)."""


class SimRecorder(recorder_mod.TraceRecorder):
    """The recorder with virtual-time `t`, entries kept in memory, scenario connection ids."""

    def __init__(self, loop: VirtualLoop, design: str, meta: Dict[str, Any]) -> None:
        self.muted = False  # after the verdict: the unwinding of cancelled tasks is not traced
        self.lines: List[str] = []
        # No file and no wall clock: the lines go to `self.lines`, `t` is the loop's virtual
        # time. The header's "real": judged by check-trace's rules for recorded traces (the
        # entries are the recorder's, from the real stack); `meta.virtualTime` says `t` is virtual.
        super().__init__(None, design=design, meta=meta, clock=loop.time, sink=self, recorder=RECORDER)

    def write(self, line: str) -> None:
        self.lines.append(line)

    def new_conn(self) -> str:
        conn = _current_conn.get()
        return conn if conn is not None else super().new_conn()

    def entry(self, conn: Optional[str], actor: str, action: str, hold: Optional[str] = None, **fields: Any) -> Dict[str, Any]:
        if self.muted:
            return {"i": -1}
        return super().entry(conn, actor, action, hold=hold, **fields)

    def text(self) -> str:
        self.close()
        return "".join(self.lines)


class _LogToTrace(logging.Handler):
    """uvicorn's log lines (e.g. "Exception in ASGI application") as `design/log` entries."""

    def __init__(self, rec: SimRecorder) -> None:
        super().__init__(logging.INFO)
        self.rec = rec

    def emit(self, record: logging.LogRecord) -> None:
        detail: Dict[str, Any] = {"level": record.levelname.lower(), "message": record.getMessage().splitlines()[0] if record.getMessage() else "", "logger": record.name}
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            detail["exception"] = recorder_mod._exception_name(exc)
        self.rec.entry(_current_conn.get(), "design", "log", detail=detail)


def load_app(ref: str) -> Any:
    """'module:attr', 'module:factory("arg", ...)', or 'path/to/file.py:attr'."""
    module_part, sep, expr = ref.rpartition(":")
    if not sep or not module_part or not expr:
        raise ScenarioError(f"app reference {ref!r}: expected MODULE:ATTR or FILE.py:ATTR")
    try:
        if module_part.endswith(".py"):
            path = os.path.abspath(module_part)
            name = "_wsl_app_" + os.path.splitext(os.path.basename(path))[0]
            spec = importlib.util.spec_from_file_location(name, path)
            if spec is None or spec.loader is None or not os.path.isfile(path):
                raise ScenarioError(f"app reference {ref!r}: no such file {module_part}")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        else:
            module = importlib.import_module(module_part)
    except ImportError as exc:
        raise ScenarioError(f"app reference {ref!r}: cannot import {module_part}: {exc}") from None
    call = ast.parse(expr, mode="eval").body if "(" in expr else None
    name = call.func.id if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) else expr
    target = getattr(module, name, None)
    if target is None:
        raise ScenarioError(f"app reference {ref!r}: {module_part} has no attribute {name}")
    if isinstance(call, ast.Call):
        try:
            args = [ast.literal_eval(a) for a in call.args]
        except ValueError:
            raise ScenarioError(f"app reference {ref!r}: factory arguments must be literals") from None
        target = target(*args)
    return target


def _validate(scenario: Any) -> Dict[str, Any]:
    if not isinstance(scenario, dict):
        raise ScenarioError("scenario: expected a JSON object")
    path = scenario.get("path")
    if not isinstance(path, str) or not path.startswith("/"):
        raise ScenarioError('scenario.path: expected a string starting with "/", e.g. "/ws/{n}"')
    lat = scenario.get("latencyMs", [1, 1])
    if not (isinstance(lat, list) and len(lat) == 2 and all(isinstance(x, int) and x >= 0 for x in lat) and lat[0] <= lat[1]):
        raise ScenarioError("scenario.latencyMs: expected [min, max], integers, 0 <= min <= max")
    if not isinstance(scenario.get("seed", 0), int):
        raise ScenarioError("scenario.seed: expected an integer")
    commands = scenario.get("commands")
    if not isinstance(commands, list) or not commands:
        raise ScenarioError("scenario.commands: expected a non-empty list")
    opened: set = set()
    for k, c in enumerate(commands):
        where = f"scenario.commands[{k}]"
        if not isinstance(c, dict):
            raise ScenarioError(f"{where}: expected an object")
        if c.get("kind") not in ("open", "message", "close", "abrupt"):
            raise ScenarioError(f"{where}.kind: expected open, message, close or abrupt")
        if not isinstance(c.get("atMs"), (int, float)) or c["atMs"] < 0:
            raise ScenarioError(f"{where}.atMs: expected a number >= 0")
        if not isinstance(c.get("conn"), str) or not c["conn"]:
            raise ScenarioError(f"{where}.conn: expected a connection id such as \"c1\"")
        if c["kind"] == "open":
            if c["conn"] in opened:
                raise ScenarioError(f"{where}: {c['conn']} is opened twice")
            opened.add(c["conn"])
        elif c["conn"] not in opened:
            raise ScenarioError(f"{where}: {c['conn']} is used before its open")
        if c["kind"] == "message" and not isinstance(c.get("text"), str):
            raise ScenarioError(f"{where}.text: expected a string")
        if "code" in c and not isinstance(c["code"], int):
            raise ScenarioError(f"{where}.code: expected an integer")
    settle = scenario.get("settleMs", DEFAULT_SETTLE_MS)
    if not isinstance(settle, int) or settle < 0:
        raise ScenarioError("scenario.settleMs: expected an integer >= 0")
    return scenario


class _Conn:
    def __init__(self, name: str, index: int) -> None:
        self.name = name
        self.index = index
        self.client: Any = None
        self.server: Any = None
        self.client_transport: Optional[SimTransport] = None
        self.handshake: Optional[asyncio.Task] = None
        self.actions: List[asyncio.Task] = []
        self.wire: Any = None
        self.user: Optional[str] = None
        self.arrived = False


def run_scenario(app: Union[str, Any], scenario: Dict[str, Any], design: Optional[str] = None) -> str:
    """Runs `scenario` against `app`; returns the trace file's text (header + JSON lines)."""
    scenario = _validate(scenario)
    if isinstance(app, str):
        design = design or (os.path.basename(app) if ".py:" in app else app)
        app = load_app(app)
    loop = VirtualLoop()
    meta = {"seed": scenario.get("seed", 0), "python": sys.version.split()[0], "virtualTime": True}
    rec = SimRecorder(loop, design or "asgi-app", meta)
    execute(_Simulation(loop, rec, app, scenario))
    return rec.text()


def execute(sim: "_Simulation") -> None:
    """Runs `sim` on its virtual loop to its verdict, then unwinds what is left."""
    loop = sim.loop
    asyncio.set_event_loop(loop)
    try:
        with patched_clock(loop, sim.clock_read), sim.logging():
            try:
                loop.run_until_complete(sim.main())
            except Livelock as stop:
                sim.aborted(stop)
            try:
                loop.run_until_complete(sim.unwind())
            except Livelock:
                pass  # a task that swallows its cancellation and spins on: dropped with the loop
    finally:
        asyncio.set_event_loop(None)
        loop.close()


class _Simulation:
    def __init__(self, loop: VirtualLoop, rec: SimRecorder, app: Any, scenario: Dict[str, Any]) -> None:
        from uvicorn.config import Config
        from uvicorn.server import ServerState

        self.loop = loop
        self.rec = rec
        self.scenario = scenario
        lo, hi = scenario.get("latencyMs", [1, 1])
        rng = random.Random(scenario.get("seed", 0))
        self.latency: Callable[[], float] = lambda: rng.randint(lo, hi) / 1000
        wrapped = recorder_mod.RecorderMiddleware(app, rec)
        # As uvicorn's tests build a protocol: a Config (loaded: the app, ws protocol class)
        # and a ServerState whose `connections` and `tasks` the protocol registers itself in.
        self.config = Config(app=wrapped, ws="websockets", lifespan="off", proxy_headers=False, log_config=None, log_level="warning", ws_ping_interval=None, ws_ping_timeout=None)
        self.config.load()
        self.server_state = ServerState()
        self.conns: Dict[str, _Conn] = {}
        self.clock_warned: set = set()
        # A livelock names the connection whose task kept the loop busy (its context's).
        loop.conn_of_handle = lambda handle: handle._context.get(_current_conn) if handle._context is not None else None

    # -- reporting
    def clock_read(self, function: str, where: str) -> None:
        if function in self.clock_warned:
            return
        self.clock_warned.add(function)
        self.rec.entry(
            _current_conn.get(),
            "design",
            "log",
            detail={"level": "warn", "message": f"the app read the wall clock ({function} at {where}); inside the simulation it returns virtual time"},
        )

    def logging(self) -> Any:
        sim = self

        class _Ctx:
            def __enter__(self) -> None:
                self.handler = _LogToTrace(sim.rec)
                self.saved = []
                for name in ("uvicorn.error", "uvicorn", "websockets"):
                    lg = logging.getLogger(name)
                    self.saved.append((lg, lg.handlers[:], lg.propagate, lg.level))
                    lg.handlers, lg.propagate = ([self.handler] if name == "uvicorn.error" else []), False
                    lg.setLevel(logging.WARNING if name == "uvicorn.error" else logging.CRITICAL)

            def __exit__(self, *exc: Any) -> None:
                for lg, handlers, propagate, level in self.saved:
                    lg.handlers, lg.propagate = handlers, propagate
                    lg.setLevel(level)

        return _Ctx()

    # -- commands
    def _path(self, conn: _Conn) -> str:
        return self.scenario["path"].replace("{conn}", conn.name).replace("{n}", str(conn.index))

    def open(self, name: str) -> None:
        conn = _Conn(name, len(self.conns) + 1)
        self.conns[name] = conn
        client_t, server_t = transport_pair(self.loop, self.latency, 40000 + conn.index)
        conn.client_transport = client_t
        self._connect(conn, client_t, server_t)

    def _connect(self, conn: _Conn, client_t: Any, server_t: Any) -> None:
        """uvicorn's protocol on the server transport, websockets' client on the other, and the
        client's handshake started, in a context naming the connection (its tasks inherit it)."""
        from uvicorn.protocols.websockets.websockets_impl import WebSocketProtocol
        from websockets.legacy.client import WebSocketClientProtocol
        from websockets.uri import parse_uri

        def start() -> None:
            conn.server = WebSocketProtocol(config=self.config, server_state=self.server_state, _loop=self.loop)
            server_t.attach(conn.server)
            conn.server.connection_made(server_t)  # its handler task inherits this context
            conn.client = WebSocketClientProtocol(ping_interval=None)  # a browser never sends pings
            client_t.attach(conn.client)
            conn.client.connection_made(client_t)
            conn.handshake = self.loop.create_task(self._client(conn, parse_uri(f"ws://10.0.0.1:8000{self._path(conn)}")))

        ctx = contextvars.copy_context()
        ctx.run(_current_conn.set, conn.name)
        ctx.run(start)

    async def _client(self, conn: _Conn, uri: Any) -> None:
        from websockets.exceptions import ConnectionClosed, InvalidHandshake

        proto = conn.client
        try:
            await proto.handshake(uri)
        except (InvalidHandshake, ConnectionError, EOFError, ConnectionClosed) as exc:
            self.rec.entry(conn.name, "client", "handshakeFailed", detail={"error": str(exc) or type(exc).__name__})
            proto.transport.abort()
            return
        while True:
            try:
                data = await proto.recv()
            except ConnectionClosed:
                if proto.close_rcvd is not None:
                    frame = {"code": proto.close_rcvd.code, "reason": proto.close_rcvd.reason}
                    self.rec.entry(conn.name, "client", "received", message="websocket.close", frame=frame)
                return
            text = data if isinstance(data, str) else data.decode("utf-8", "replace")
            self.rec.entry(conn.name, "client", "received", message="websocket.send", frame=self.rec.frame({"text": text}))
            self.read_data_frame(conn)

    def read_data_frame(self, conn: _Conn) -> None:
        """The browser read a data frame (the worker's runs draw peer faults here)."""

    async def _client_action(self, conn: _Conn, command: Dict[str, Any]) -> None:
        from websockets.exceptions import ConnectionClosed

        if conn.handshake is not None and not conn.handshake.done():
            # A browser queues nothing before `open`: the command waits for the handshake.
            while conn.client.state.name == "CONNECTING" and not conn.handshake.done():
                await asyncio.sleep(0.001)
        kind = command["kind"]
        try:
            if kind == "message":
                await conn.client.send(command["text"])
            elif kind == "close":
                await conn.client.close(command.get("code", 1000), command.get("reason", ""))
        except ConnectionClosed as exc:
            self.rec.entry(conn.name, "design", "log", detail={"level": "info", "message": f"scenario {kind} on {conn.name} not sent: the client's connection is closed ({exc})"})

    def command(self, command: Dict[str, Any]) -> None:
        kind, name = command["kind"], command["conn"]
        if kind == "open":
            self.open(name)
            return
        conn = self.conns[name]
        if kind == "abrupt":
            assert conn.client_transport is not None
            conn.client_transport.abort()  # the browser vanishes: no close frame
            return
        ctx = contextvars.copy_context()
        ctx.run(_current_conn.set, name)
        conn.actions.append(self.loop.create_task(self._client_action(conn, command), context=ctx))

    # -- the run
    def _busy(self) -> bool:
        """Something still has to happen: bytes in flight, or a connection that is not open
        (closing, closed, connecting) with a task still running. An open connection whose
        handler waits for the next message is idle: that is what "ready" means."""
        for conn in self.conns.values():
            transports = (conn.client_transport, getattr(conn.server, "transport", None))
            if any(t is not None and t._out.queue for t in transports):
                return True
            if conn.wire is not None and (conn.wire.held or conn.wire.unread_frames):
                return True
            server = conn.server
            if server is not None and getattr(server.state, "name", "") == "OPEN":
                continue
            tasks = [conn.handshake, *conn.actions]
            if server is not None:
                tasks += [getattr(server, "handler_task", None), getattr(server, "close_connection_task", None)]
                tasks += [t for t in self.server_state.tasks if _task_self(t) is server]  # run_asgi
            if any(t is not None and not t.done() for t in tasks):
                return True
        return False

    async def main(self) -> None:
        commands = sorted(enumerate(self.scenario["commands"]), key=lambda kc: (kc[1]["atMs"], kc[0]))
        for _, command in commands:
            self.loop.call_at(command["atMs"] / 1000, self.command, command)
        last = commands[-1][1]["atMs"] / 1000
        horizon = last + self.scenario.get("settleMs", DEFAULT_SETTLE_MS) / 1000
        # Until the horizon, or earlier once every connection is closed and nothing is left
        # to happen. An open connection may have work the runner cannot see (an app timer,
        # a task of its own), so it keeps the run going to the horizon.
        while self.loop.time() <= last or (self.loop.time() < horizon and (self._busy() or not self._all_closed())):
            await asyncio.sleep(POLL_S)
        self._verdict(horizon)

    def _all_closed(self) -> bool:
        return all(getattr(getattr(c.server, "state", None), "name", "") == "CLOSED" for c in self.conns.values())

    def phases(self) -> Dict[str, str]:
        """Every connection's state: `ready` (open), `closed`, `closing`, `connecting`."""
        names = {"OPEN": "ready", "CLOSED": "closed", "CLOSING": "closing"}
        return {name: names.get(getattr(getattr(c.server, "state", None), "name", ""), "connecting") for name, c in self.conns.items()}

    def aborted(self, stop: Livelock) -> None:
        """The run stopped at a livelock: the verdict is the abort, on the connection that
        caused it, as src/sim/runScenario.ts writes it (`detail.aborted`, `detail.culprit`)."""
        by = "cause not attributed to a connection" if stop.culprit is None else f"caused by {stop.culprit}"
        detail = {"reason": f"run aborted ({by}): {stop.reason}", "aborted": stop.reason, "culprit": stop.culprit, "phases": self.phases()}
        self.rec.entry(stop.culprit, "harness", "unsettled", detail=detail)
        self.rec.muted = True

    def _verdict(self, horizon: float) -> None:
        phases = self.phases()
        if self._busy():
            stuck = [n for n, p in phases.items() if p != "ready"]
            reason = f"still running at the horizon ({round(horizon * 1000)} ms): " + ", ".join(stuck)
            self.rec.entry(None, "harness", "unsettled", detail={"reason": reason, "phases": phases})
        else:
            self.rec.entry(None, "harness", "settled", detail={"phases": phases})
        self.rec.muted = True

    async def unwind(self) -> None:
        """Leaves nothing running: cancels what is left and lets it unwind on the virtual loop."""
        for conn in self.conns.values():
            for transport in (conn.client_transport, getattr(conn.server, "transport", None)):
                if transport is not None:
                    transport.abort()
        pending = [t for t in asyncio.all_tasks(self.loop) if t is not asyncio.current_task()]
        for t in pending:
            t.cancel()
        await asyncio.gather(*pending, return_exceptions=True)


def conn_of(websocket: Any) -> Optional[str]:
    """The scenario's connection id of a Starlette/FastAPI ``WebSocket`` (or ASGI scope) the
    recorder saw, for a design's hooks to find the app's socket of a connection; else None."""
    scope = getattr(websocket, "scope", websocket)
    return scope.get("ws_lifecycle.conn") if isinstance(scope, dict) else None


def _task_self(task: "asyncio.Task[Any]") -> Any:
    """The `self` of a method coroutine a task runs (uvicorn's run_asgi), or None."""
    frame = getattr(task.get_coro(), "cr_frame", None)
    return frame.f_locals.get("self") if frame is not None else None


def run_scenario_file(app_ref: str, scenario_path: str) -> str:
    try:
        with open(scenario_path, encoding="utf-8") as f:
            scenario = json.load(f)
    except OSError as exc:
        raise ScenarioError(f"{scenario_path}: {exc.strerror}") from None
    except ValueError as exc:
        raise ScenarioError(f"{scenario_path}: not JSON ({exc})") from None
    return run_scenario(app_ref, scenario)


__all__ = ["conn_of", "run_scenario", "run_scenario_file", "load_app", "ScenarioError", "SimRecorder", "SimulationError"]
