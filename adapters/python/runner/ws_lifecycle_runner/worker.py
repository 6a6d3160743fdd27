"""The long-lived worker: a design file, then one TypeScript `Scenario` per line on stdin.

``python3 -m ws_lifecycle_runner serve DESIGN.py`` loads the design (compiled once, executed
into a fresh module namespace for every run, so each run starts from fresh app state),
prints one ``{"ready": ...}`` line, then answers each request line
``{"id": N, "scenario": SCENARIO, "settleMs": MS}`` with one line
``{"id": N, "trace": [ENTRY, ...], "userOf": {conn: user}}`` or ``{"id": N, "error": "..."}``.
Every nondeterministic decision of a run is read from the scenario's ``choices`` (then its
``tailSeed``) as the TypeScript simulation reads them (chooser.py). See README.md.
"""

from __future__ import annotations

import asyncio
import contextvars
import ctypes
import gc
import importlib.metadata
import inspect
import json
import os
import signal
import sys
import types
from typing import Any, Callable, Dict, List, Optional, TextIO, Tuple

from .chooser import Chooser
from .loop import SimulationError, VirtualLoop
from .net import Network
from .sim import RECORDER, ScenarioError, SimRecorder, _Conn, _current_conn, _Simulation, execute

HOOKS = ("emit", "close", "broadcast")
DEFAULT_SETTLE_MS = 10_000  # src/sim/runScenario.ts defaultSettleMs
# src/core/state.ts criticalEventTypes (the default config's criticalTypes).
CRITICAL_TYPES = frozenset(["agent_started", "tool_executing", "tool_completed", "agent_completed"])
# Exceptions that say the hook itself is broken, not that the send was refused: a
# `design/error` besides the workload entry (the TypeScript harness's non-modelled errors).
_DESIGN_BUGS = (TypeError, AttributeError, NameError, AssertionError)

KNOBS = (
    "latencyMsMin", "latencyMsMax", "handshakeDelayMsMax", "authDelayMsMax", "prepareDelayMsMax",
    "peerClosePerMillion", "abruptDisconnectPerMillion", "sendFailurePerMillion", "authFailurePerMillion",
    "clockSkewMs", "pongDelayMsMax", "readStallPerMillion", "readStallMsMax", "writeBufferFrames",
)


class DesignError(ValueError):
    """The design file cannot be loaded (one line: the file and what is wrong)."""


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


class DesignSource:
    """A design file compiled once; ``instance()`` executes it into a fresh namespace."""

    def __init__(self, path: str) -> None:
        self.path = os.path.abspath(path)
        self.shown = path
        try:
            with open(self.path, encoding="utf-8") as f:
                source = f.read()
        except OSError as exc:
            raise DesignError(f"{path}: {exc.strerror or exc}") from None
        except ValueError as exc:
            raise DesignError(f"{path}: not UTF-8 text ({exc})") from None
        try:
            self.code = compile(source, self.path, "exec")
        except SyntaxError as exc:
            raise DesignError(f"{path}:{exc.lineno}: SyntaxError: {exc.msg}") from None
        self.frozen = False
        self.module_name = "_wsl_design_" + "".join(c if c.isalnum() else "_" for c in os.path.splitext(os.path.basename(self.path))[0])
        directory = os.path.dirname(self.path)
        if directory not in sys.path:
            sys.path.insert(0, directory)

    def instance(self) -> "Design":
        self._forget_local_modules()
        module = types.ModuleType(self.module_name)
        module.__file__ = self.path
        sys.modules[self.module_name] = module
        try:
            exec(self.code, module.__dict__)  # noqa: S102 - the design file is the input
        except SystemExit as exc:
            raise DesignError(f"{self.shown}: exited while loading (SystemExit {exc.code})") from None
        except Exception as exc:  # noqa: BLE001 - any failure of the design's own code
            tb = exc.__traceback__
            line = None
            while tb is not None:
                if tb.tb_frame.f_code.co_filename == self.path:
                    line = tb.tb_lineno
                tb = tb.tb_next
            where = f"{self.shown}:{line}" if line is not None else self.shown
            raise DesignError(f"{where}: {type(exc).__name__}: {_one_line(str(exc))}") from None
        return Design(self, module.__dict__)


    def _forget_local_modules(self) -> None:
        """Modules loaded from the design's folder or below (the user's app: `from chat import
        app`) are imported afresh for every run, so their globals (a connection manager, a
        registry) start clean as the design's own do; libraries elsewhere stay cached."""
        folder = os.path.dirname(self.path) + os.sep
        runner = os.path.dirname(os.path.abspath(__file__)) + os.sep
        for name, module in list(sys.modules.items()):
            file = getattr(module, "__file__", None) or ""
            if file.startswith(folder) and not file.startswith(runner):
                del sys.modules[name]


class Design:
    """One executed design: its app, path, name and hooks."""

    def __init__(self, source: DesignSource, ns: Dict[str, Any]) -> None:
        shown = source.shown
        if "app" not in ns:
            raise DesignError(f"{shown}: defines no `app` (the ASGI app to run)")
        if not callable(ns["app"]):
            raise DesignError(f"{shown}: `app` is not callable (expected an ASGI app)")
        path = ns.get("path")
        if not isinstance(path, str) or not path.startswith("/"):
            raise DesignError(f'{shown}: `path` must be a str starting with "/", e.g. "/ws/{{conn}}?user={{user}}"')
        name = ns.get("name", os.path.splitext(os.path.basename(source.path))[0])
        if not isinstance(name, str) or not name:
            raise DesignError(f"{shown}: `name` must be a non-empty str")
        self.app = ns["app"]
        self.path = path
        self.name = name
        self.hooks: Dict[str, Callable[..., Any]] = {}
        for hook in HOOKS:
            fn = ns.get(hook)
            if fn is None:
                continue
            if not inspect.iscoroutinefunction(fn):
                raise DesignError(f"{shown}: `{hook}` must be an async function (async def {hook}(...))")
            self.hooks[hook] = fn


# ---------------------------------------------------------------------------------------
# Requests


def _number(value: Any, where: str, minimum: float = 0) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value < minimum:
        raise ScenarioError(f"{where}: expected a number >= {minimum}")
    return value


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ScenarioError(f"{where}: expected an integer >= 0")
    return value


def validate(scenario: Any) -> Dict[str, Any]:
    """Checks the TypeScript `Scenario` JSON the worker runs (src/sim/types.ts)."""
    if not isinstance(scenario, dict):
        raise ScenarioError("scenario: expected an object")
    knobs = scenario.get("knobs")
    if not isinstance(knobs, dict):
        raise ScenarioError("scenario.knobs: expected an object (FaultKnobs)")
    for k in KNOBS:
        if knobs.get(k) is not None:
            _int(knobs[k], f"scenario.knobs.{k}") if k != "clockSkewMs" else _number(knobs[k], f"scenario.knobs.{k}", float("-inf"))
    choices = scenario.get("choices", [])
    if not isinstance(choices, list):
        raise ScenarioError("scenario.choices: expected an array of numbers")
    tail = scenario.get("tailSeed")
    if tail is not None and (isinstance(tail, bool) or not isinstance(tail, int)):
        raise ScenarioError("scenario.tailSeed: expected an integer or null")
    commands = scenario.get("commands")
    if not isinstance(commands, list):
        raise ScenarioError("scenario.commands: expected an array")
    opened: set = set()
    for k, c in enumerate(commands):
        where = f"scenario.commands[{k}]"
        if not isinstance(c, dict):
            raise ScenarioError(f"{where}: expected an object")
        kind = c.get("kind")
        if kind not in ("open", "clientMessage", "peerClose", "abrupt", "emit", "broadcast", "appClose"):
            raise ScenarioError(f"{where}.kind: expected open, clientMessage, peerClose, abrupt, emit, broadcast or appClose")
        _number(c.get("atMs"), f"{where}.atMs")
        if kind != "broadcast" and (not isinstance(c.get("conn"), str) or not c["conn"]):
            raise ScenarioError(f'{where}.conn: expected a connection id such as "c1"')
        if kind == "open":
            if not isinstance(c.get("userId"), str):
                raise ScenarioError(f"{where}.userId: expected a string")
            opened.add(c["conn"])
        if kind == "clientMessage" and not isinstance(c.get("text"), str):
            raise ScenarioError(f"{where}.text: expected a string")
        if kind in ("emit", "broadcast") and not isinstance(c.get("eventType"), str):
            raise ScenarioError(f"{where}.eventType: expected a string")
        if kind in ("peerClose", "appClose"):
            _int(c.get("code"), f"{where}.code")
        if kind == "appClose" and not isinstance(c.get("reason"), str):
            raise ScenarioError(f"{where}.reason: expected a string")
        if c.get("sinceConnectMs") is not None:
            _number(c["sinceConnectMs"], f"{where}.sinceConnectMs")
        if c.get("anchor") is not None and not isinstance(c["anchor"], str):
            raise ScenarioError(f"{where}.anchor: expected a connection id")
    return scenario


def _anchor_of(command: Dict[str, Any]) -> Optional[str]:
    """src/sim/runScenario.ts anchorOf: the connection whose arrival times the command."""
    if command.get("sinceConnectMs") is None:
        return None
    return command.get("anchor") or command.get("conn")


def fault_window_ms(knobs: Dict[str, Any]) -> int:
    """src/sim/profiles.ts faultWindowMs."""
    g = lambda k: knobs.get(k) or 0  # noqa: E731
    return g("handshakeDelayMsMax") + g("authDelayMsMax") + g("prepareDelayMsMax") + 4 * g("latencyMsMax")


# ---------------------------------------------------------------------------------------
# One run


class WorkerSimulation(_Simulation):
    """A run of a TypeScript `Scenario` against a design, with every decision chosen."""

    def __init__(self, loop: VirtualLoop, rec: SimRecorder, design: Design, scenario: Dict[str, Any], settle_ms: int) -> None:
        super().__init__(loop, rec, design.app, {"path": design.path, "commands": scenario["commands"]})
        self.design = design
        self.knobs = scenario["knobs"]
        self.chooser = Chooser.from_scenario(scenario.get("choices") or [], scenario.get("tailSeed"))
        # Stable sort: commands at the same ms keep their order in the scenario.
        self.commands = sorted(scenario["commands"], key=lambda c: c["atMs"])
        knobs = self.knobs
        arrival_bound = (knobs.get("handshakeDelayMsMax") or 0) + (knobs.get("latencyMsMax") or 0)
        last = 0.0
        for c in self.commands:
            since = c.get("sinceConnectMs")
            last = max(last, c["atMs"] + (0 if since is None else arrival_bound + since))
        # src/sim/runScenario.ts: faults fire until the last command plus the fault window,
        # then heal; the run then has settleMs to settle.
        self.heal_us = round((last + fault_window_ms(knobs)) * 1000)
        self.end_us = self.heal_us + settle_ms * 1000
        self.net = Network(loop, self.chooser, knobs, lambda: self.net.now_us() < self.heal_us, rec.entry)
        self.pending_commands = 0
        self.workload: List[Tuple[str, asyncio.Task]] = []  # (description, task)
        self.next_event = 1
        self.finished: Optional[asyncio.Future] = None

    # -- commands
    def _schedule(self, command: Dict[str, Any], delay_ms: float) -> None:
        self.pending_commands += 1
        self.loop.call_at((self.net.now_us() + round(delay_ms * 1000)) / 1_000_000, self._run_command, command)

    def _run_command(self, command: Dict[str, Any]) -> None:
        self.pending_commands -= 1
        self.command(command)

    def _in_context(self, conn: Optional[str], fn: Callable[[], Any]) -> Any:
        ctx = contextvars.copy_context()
        ctx.run(_current_conn.set, conn)
        return ctx.run(fn)

    def _task(self, conn: Optional[str], coro: Any) -> "asyncio.Task[Any]":
        ctx = contextvars.copy_context()
        ctx.run(_current_conn.set, conn)
        return self.loop.create_task(coro, context=ctx)

    def _log(self, conn: Optional[str], level: str, message: str, actor: str = "design") -> None:
        self.rec.entry(conn, actor, "log", detail={"level": level, "message": message})

    def _path(self, conn: _Conn) -> str:
        return self.design.path.replace("{conn}", conn.name).replace("{user}", conn.user or "").replace("{n}", str(conn.index))

    def command(self, command: Dict[str, Any]) -> None:  # type: ignore[override]
        kind = command["kind"]
        name = command.get("conn")
        if kind == "open":
            if name in self.conns:
                self._log(name, "warning", f"open ignored: {name} is already open", actor="harness")
                return
            self._open(name, command["userId"])
            return
        if kind == "broadcast":
            self._broadcast(command["eventType"])
            return
        conn = self.conns.get(name)
        if conn is None:
            self._log(name, "info", f"scenario {kind} on {name} not run: {name} was never opened")
            return
        if kind in ("emit", "appClose"):
            if not conn.arrived:
                self._log(name, "debug", f"{kind} skipped: the server has not seen {name} yet", actor="harness")
                return
            if kind == "emit":
                self._emit(conn, command["eventType"])
            else:
                self._app_close(conn, command["code"], command["reason"])
            return
        client = conn.client
        state = client.state.name
        if kind == "abrupt":
            conn.client_transport.abort()  # the browser vanishes: no close frame
        elif kind == "peerClose":
            if state == "CONNECTING":
                conn.client_transport.abort()  # a close before the handshake finished aborts it
            elif state == "OPEN":
                conn.actions.append(self._task(name, client.close(command["code"])))
        elif kind == "clientMessage":
            if state != "OPEN":
                self._log(name, "info", f"scenario clientMessage on {name} not sent: the client's connection is {state}")
                return
            conn.actions.append(self._task(name, self._send(conn, command["text"])))

    async def _send(self, conn: _Conn, text: str) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            await conn.client.send(text)
        except ConnectionClosed as exc:
            self._log(conn.name, "info", f"scenario clientMessage on {conn.name} not sent: the client's connection is closed ({exc})")

    def _open(self, name: str, user: str) -> None:
        conn = _Conn(name, len(self.conns) + 1)
        conn.user = user
        self.conns[name] = conn
        handshake_ms = self.chooser.choose("handshake", self.knobs.get("handshakeDelayMsMax") or 0)
        client_t, server_t, wire = self.net.pair(name, 40000 + conn.index)
        client_t.next_extra_us = handshake_ms * 1000
        conn.client_transport, conn.wire = client_t, wire
        wire.on_arrival = lambda: self._arrived(conn)
        self._connect(conn, client_t, server_t)

    def _arrived(self, conn: _Conn) -> None:
        """The upgrade request reached the server: commands timed from it are scheduled."""
        conn.arrived = True
        for c in self.commands:
            if _anchor_of(c) == conn.name:
                self._schedule(c, c["sinceConnectMs"])

    def read_data_frame(self, conn: _Conn) -> None:
        # src/sim/client.ts maybeFault: after reading a data frame, the browser may leave.
        if conn.client.state.name != "OPEN":
            return
        if self.net.fault("peerClose", "peerClosePerMillion"):
            conn.actions.append(self._task(conn.name, conn.client.close(1001)))
        elif self.net.fault("abrupt", "abruptDisconnectPerMillion"):
            conn.client_transport.abort()

    # -- the workload's agents and cleanup task (src/sim/handlerDriver.ts)
    def _event(self, conn: Optional[_Conn], event_type: str) -> Dict[str, Any]:
        event_id = f"e{self.next_event}"
        self.next_event += 1
        user = conn.user if conn is not None else None
        return {"id": event_id, "type": event_type, "critical": event_type in CRITICAL_TYPES, "payload": {"eventId": event_id, "user": user}}

    def _hook_failed(self, conn: Optional[str], where: str, exc: BaseException) -> None:
        if isinstance(exc, _DESIGN_BUGS):
            self.rec.entry(conn, "design", "error", detail={"where": where, "error": f"{type(exc).__name__}: {_one_line(str(exc))}"})

    def _emit(self, conn: _Conn, event_type: str) -> None:
        hook = self.design.hooks.get("emit")
        if hook is None:
            self._log(conn.name, "info", f"design {self.design.name} has no emit; {event_type} not sent")
            return
        event = self._event(conn, event_type)
        rec, name = self.rec, conn.name

        async def agent() -> None:
            rec.entry(name, "workload", "emit", detail={"eventId": event["id"], "type": event_type, "critical": event["critical"]})
            try:
                result = await hook(name, dict(event))
            except Exception as exc:  # noqa: BLE001 - the hook's failure is the outcome
                rec.entry(name, "workload", "emitReturned", detail={"eventId": event["id"], "result": "threw", "error": str(exc) or type(exc).__name__})
                self._hook_failed(name, "emit", exc)
                return
            rec.entry(name, "workload", "emitReturned", detail={"eventId": event["id"], "result": "false" if result is False else "true"})

        self.workload.append((f"emit {event['id']} to {name} never returned", self._task(name, agent())))

    def _app_close(self, conn: _Conn, code: int, reason: str) -> None:
        hook = self.design.hooks.get("close")
        if hook is None:
            self._log(conn.name, "info", f"design {self.design.name} has no close; appClose of {conn.name} not run")
            return
        rec, name = self.rec, conn.name
        rec.entry(name, "workload", "appClose", detail={"code": code, "reason": reason})

        async def cleanup() -> None:
            rec.entry(name, "workload", "closeCalled", detail={"code": code, "reason": reason})
            try:
                await hook(name, code, reason)
            except Exception as exc:  # noqa: BLE001
                self._log(name, "error", f"task close:{name} raised {type(exc).__name__}: {_one_line(str(exc))}")
                self._hook_failed(name, "close", exc)

        self.workload.append((f"close of {name} never returned", self._task(name, cleanup())))

    def _broadcast(self, event_type: str) -> None:
        hook = self.design.hooks.get("broadcast")
        event = self._event(None, event_type)
        self.rec.entry(None, "workload", "broadcast", detail={"eventId": event["id"], "type": event_type, "critical": event["critical"]})
        if hook is None:
            self._log(None, "info", f"design {self.design.name} has no broadcast; event {event['id']} not sent")
            return

        async def agent() -> None:
            try:
                await hook(dict(event))
            except Exception as exc:  # noqa: BLE001
                self._log(None, "error", f"task broadcast:{event['id']} raised {type(exc).__name__}: {_one_line(str(exc))}")
                self._hook_failed(None, "broadcast", exc)

        self.workload.append((f"broadcast {event['id']} never returned", self._task(None, agent())))

    # -- the run
    def _quiet(self) -> bool:
        return (
            self.pending_commands == 0
            and self._all_closed()
            and not self._busy()
            and all(task.done() for _, task in self.workload)
        )

    def _on_idle(self) -> None:
        if self.finished is not None and not self.finished.done() and self._quiet():
            self.finished.set_result(None)

    def _end(self) -> None:
        if self.finished is not None and not self.finished.done():
            self.finished.set_result(None)

    async def main(self) -> None:  # type: ignore[override]
        self.finished = self.loop.create_future()
        for c in self.commands:
            if _anchor_of(c) is None:
                self._schedule(c, c["atMs"])
        self.loop.call_at(self.end_us / 1_000_000, self._end)
        # Ends at the bound, or as soon as every connection is closed and nothing is left
        # to happen (checked each time the loop is about to move time forward).
        self.loop.on_idle = self._on_idle
        try:
            await self.finished
        finally:
            self.loop.on_idle = None
        self._verdict(self.end_us / 1_000_000)

    def _verdict(self, horizon: float) -> None:
        stuck = [what for what, task in self.workload if not task.done()]
        if not stuck:
            super()._verdict(horizon)
            return
        self.rec.entry(None, "harness", "unsettled", detail={"reason": "; ".join(stuck), "phases": self.phases()})
        self.rec.muted = True

    def user_of(self) -> Dict[str, str]:
        return {name: conn.user or "" for name, conn in self.conns.items()}


def run_request(design: Design, scenario: Dict[str, Any], settle_ms: int) -> Tuple[List[str], Dict[str, str]]:
    """Runs one scenario; returns the trace's entry lines (JSON text, no header) and userOf."""
    validate(scenario)
    loop = VirtualLoop()
    rec = SimRecorder(loop, design.name, {"python": sys.version.split()[0], "virtualTime": True})
    sim = WorkerSimulation(loop, rec, design, scenario, settle_ms)
    failed: List[str] = []

    def on_loop_error(_loop: Any, context: Dict[str, Any]) -> None:
        # A callback that raised (the runner's network or commands, a protocol's callback)
        # fails the request; an unretrieved task exception is the app's and is not printed.
        exc = context.get("exception")
        if "handle" in context and exc is not None and not failed:
            failed.append(f"runner: {context.get('message', 'exception in a callback')}: {type(exc).__name__}: {_one_line(str(exc))}")

    loop.set_exception_handler(on_loop_error)
    execute(sim)
    if failed:
        raise SimulationError(failed[0])
    rec.close()
    return rec.lines[1:], sim.user_of()


# ---------------------------------------------------------------------------------------
# The stdio protocol

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int) -> None:
    """The worker does not outlive what started it. On Linux the kernel sends it SIGKILL when
    the *thread* that spawned it exits (prctl PR_SET_PDEATHSIG): a Node worker thread that is
    terminated (a hung run) takes its runner with it, even though stdin's pipe, shared with
    the process, stays open. If the parent is already gone (``getppid()`` is no longer
    `parent`, read at start-up), the worker exits at once with 1. Elsewhere: nothing (EOF on
    stdin still ends the worker)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)


def _version(dist: str) -> Optional[str]:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def ready_line(design: Design) -> str:
    versions = {d: _version(d) for d in ("starlette", "uvicorn", "websockets", "fastapi")}
    ready = {"name": design.name, "path": design.path, "hooks": [h for h in HOOKS if h in design.hooks], "python": sys.version.split()[0], "versions": versions}
    return json.dumps({"ready": ready})


def answer(source: DesignSource, line: str) -> str:
    """One response line (without newline) for one request line."""
    try:
        request = json.loads(line)
    except ValueError as exc:
        return json.dumps({"id": None, "error": f"request: not JSON ({exc})"})
    rid = request.get("id") if isinstance(request, dict) else None
    try:
        if not isinstance(request, dict) or "scenario" not in request:
            raise ScenarioError('request: expected {"id": N, "scenario": {...}, "settleMs": MS}')
        settle = request.get("settleMs", DEFAULT_SETTLE_MS)
        settle = DEFAULT_SETTLE_MS if settle is None else _int(settle, "settleMs")
        design = source.instance()
        # No collection (and so no finalizer) inside a run, where its timing would depend on
        # the process's history: cyclic garbage is collected between runs.
        gc.disable()
        try:
            lines, user_of = run_request(design, request["scenario"], settle)
        finally:
            del design
            gc.collect()
            if not source.frozen:
                # What the first run imported lazily (uvicorn's protocols...) stays for good:
                # later collections skip it.
                gc.freeze()
                source.frozen = True
    except (ScenarioError, DesignError, SimulationError) as exc:
        return json.dumps({"id": rid, "error": _one_line(str(exc))})
    except Exception as exc:  # noqa: BLE001 - a failure of the runner: this request fails, the worker lives
        return json.dumps({"id": rid, "error": f"runner: {type(exc).__name__}: {_one_line(str(exc))}"})
    return "".join(['{"id": ', json.dumps(rid), ', "trace": [', ", ".join(line.rstrip("\n") for line in lines), '], "userOf": ', json.dumps(user_of), "}"])


def serve(design_path: str, stdin: TextIO, stdout: TextIO) -> int:
    try:
        source = DesignSource(design_path)
        design = source.instance()
    except DesignError as exc:
        stdout.write(json.dumps({"error": _one_line(str(exc))}) + "\n")
        stdout.flush()
        return 2
    stdout.write(ready_line(design) + "\n")
    stdout.flush()
    del design
    gc.collect()
    gc.freeze()  # the imported libraries: never garbage, never traversed again
    for line in stdin:
        if not line.strip():
            continue
        stdout.write(answer(source, line) + "\n")
        stdout.flush()
    return 0


__all__ = ["serve", "die_with_parent", "answer", "run_request", "DesignSource", "Design", "DesignError", "validate", "WorkerSimulation", "RECORDER", "SimulationError"]
