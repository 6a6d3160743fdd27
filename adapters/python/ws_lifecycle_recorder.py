"""Record what a WebSocket ASGI app does, as a ws-lifecycle trace (docs/trace.md).

Two layers, one trace file (JSON lines: a header, then one entry per line):

* ``RecorderMiddleware`` wraps the ASGI app. For every ``websocket`` scope it records the
  ASGI messages the server hands the app (``client/connect``, ``client/message``,
  ``client/close``, ``client/abrupt``) and what the server did with each message the app
  sent (``net/wire`` when the server's ``send`` returned, ``net/sendFailed`` with the
  exception text when it raised).
* ``instrument_starlette()`` (called by the middleware when Starlette is importable) wraps
  Starlette's ``WebSocket`` so every call the app makes is recorded as ``app/receive``,
  ``app/received``, ``app/accept``, ``app/send``, ``app/close`` with Starlette's own
  ``client_state`` / ``application_state`` before and after, and the exact text of any
  exception (``Need to call "accept" first`` is raised by Starlette before the ASGI server
  is asked anything, so only this layer sees it).

The middleware also records the handler's lifetime (``app/handlerStarted``,
``app/handlerReturned``, ``app/handlerRaised`` with the recorded call that raised the
exception), and writes ``net/wire`` only for a frame the server wrote: a close the server
swallowed (the peer was already gone) is ``net/closeDropped``.

Emits of the app's agents are recorded with ``TraceRecorder.emit`` (``workload/emit`` and
``workload/emitReturned``), which is what lets ``check-trace`` judge P6-P8.

Checked with Starlette 0.26.1, uvicorn 0.17.6 and websockets 10.4 (Debian 12). Standard
library only.
"""

from __future__ import annotations

import asyncio
import functools
import json
import time
from collections import deque
from typing import Any, Awaitable, Callable, Deque, Dict, Iterable, List, Optional, Tuple

__version__ = "0.1.0"

FORMAT = "ws-lifecycle-trace"
VERSION = 1

_CONN = "ws_lifecycle.conn"
_SOCKET = "ws_lifecycle.socket"
_CALL = "ws_lifecycle.call"

REDACTED = "[redacted]"
# How many raising calls the recorder remembers for `handlerRaised`'s `raisedBy`.
_RAISED_KEPT = 256

# Trace `errorKind` values (docs/trace.md); anything else is recorded as "Error" and its
# class name kept in `detail.exception`.
_KINDS = {"RuntimeError", "WebSocketDisconnect", "TimeoutError"}


def _error_fields(exc: BaseException) -> Dict[str, Any]:
    name = type(exc).__name__
    kind = name if name in _KINDS else ("TimeoutError" if isinstance(exc, asyncio.TimeoutError) else "Error")
    return {"error": _error_text(exc), "errorKind": kind, "detail": {"exception": name}}


def _remember_raise(rec: "TraceRecorder", exc: BaseException, i: int) -> None:
    """Remembers that the call of entry `i` raised `exc` (for `handlerRaised`'s `raisedBy`).

    Recorder-wide, not per connection: a broadcast loop in one connection's handler sends on
    other connections, and what their sends raised escapes the first handler.
    """
    raised = rec.raised
    if isinstance(exc, asyncio.CancelledError):
        return
    if any(held is exc for held, _ in raised):
        return  # the innermost recorded call that raised it was remembered first
    raised.append((exc, i))


def _raised_by(raised: Deque[Tuple[BaseException, int]], exc: BaseException) -> Optional[int]:
    """The entry whose call raised `exc`, or an exception in its __cause__/__context__ chain."""
    seen = set()
    link: Optional[BaseException] = exc
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        for held, i in raised:
            if held is link:
                return i
        link = link.__cause__ or link.__context__
    return None


def _protocol_of(send: Any) -> Any:
    """The server's connection object behind its ASGI `send`, when it can be inspected.

    uvicorn's websockets implementation passes its protocol's bound ``asgi_send``; the
    protocol is a websockets ``WebSocketServerProtocol`` (``state``, ``close_sent``,
    ``close_rcvd``, ``transport``). Any other server (or a wrapped `send`): None.
    """
    proto = getattr(send, "__self__", None)
    if proto is None:
        return None
    try:
        from websockets.legacy.protocol import WebSocketCommonProtocol
    except ImportError:
        return None
    return proto if isinstance(proto, WebSocketCommonProtocol) else None


def _transport_closing(proto: Any) -> bool:
    transport = proto.transport
    return transport is None or transport.is_closing()


def _exception_name(exc: BaseException) -> str:
    cls = type(exc)
    return f"{cls.__module__}.{cls.__qualname__}"


def _error_text(exc: BaseException) -> str:
    text = str(exc)
    if text:
        return text
    code = getattr(exc, "code", None)  # Starlette's WebSocketDisconnect has an empty text
    return f"{type(exc).__name__}({code})" if isinstance(code, int) else type(exc).__name__


def _event_ids(value: Any, out: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The `{eventId}` objects found in `value`, at any depth, in order of appearance."""
    if isinstance(value, dict):
        if isinstance(value.get("eventId"), str):
            out.append({"eventId": value["eventId"]})
        for v in value.values():
            _event_ids(v, out)
    elif isinstance(value, list):
        for v in value:
            _event_ids(v, out)
    return out


def _redact(value: Any, fields: frozenset) -> Any:
    if isinstance(value, dict):
        kept: Dict[str, Any] = {}
        for k, v in value.items():
            if k in fields and k != "eventId":
                ids = _event_ids(v, [])
                # check-trace finds events by their eventId: a redacted value keeps them.
                kept[k] = {"redacted": True, "events": ids} if ids else REDACTED
            else:
                kept[k] = _redact(v, fields)
        return kept
    if isinstance(value, list):
        return [_redact(v, fields) for v in value]
    return value


class TraceRecorder:
    """Writes one trace file; entries are numbered in the order things happened.

    An entry is written once final, and no entry waits for more than the current event-loop
    turn: a send call's entry until Starlette hands the message to the server (its ``after``
    is then known) or raises; a receive call's entry until the next entry, which is enough to
    tell "raised at once" from "returned later". What the server's ``send`` then does is a
    ``net/wire`` or ``net/sendFailed`` entry (with ``error``, ``errorKind``).
    """

    def __init__(
        self,
        path: Optional[str],
        design: str = "asgi-app",
        meta: Optional[Dict[str, Any]] = None,
        redact: Iterable[str] = (),
        redact_close_reasons: bool = False,
        max_frame_chars: Optional[int] = None,
        record_user: bool = True,
        *,
        clock: Optional[Callable[[], float]] = None,
        sink: Any = None,
        recorder: str = "ws_lifecycle_recorder (python)",
    ) -> None:
        """Opens `path` for writing and writes the header.

        `clock` (seconds, default ``time.perf_counter``) times the entries from the recorder's
        creation; `sink` (anything with ``write(str)``) takes the lines instead of a file at
        `path`, and is not closed by ``close()``; `recorder` names what wrote the trace. The
        deterministic runner (adapters/python/runner) passes its virtual clock and a list.

        By default a frame is recorded whole (its JSON decoded, else its text), with close
        reasons and the `?user=` query parameter. `redact`: JSON field names whose values are
        recorded as ``"[redacted]"`` at any depth (``eventId`` is never redacted; a redacted
        value holding eventIds is recorded as ``{"redacted": true, "events": [{"eventId"}]}``
        so check-trace still finds them). `redact_close_reasons`: a non-empty close reason is
        recorded as ``"[redacted]"``. `max_frame_chars`: a frame whose JSON text (after
        redaction) is longer is recorded as ``{"truncated": <chars>, "head": <first chars>,
        "events": [{"eventId"}]}``. `record_user`: False leaves the user out.
        """
        if max_frame_chars is not None and max_frame_chars < 0:
            raise ValueError("max_frame_chars must be at least 0")
        self.redact = frozenset([redact] if isinstance(redact, str) else redact)
        self.redact_close_reasons = redact_close_reasons
        self.max_frame_chars = max_frame_chars
        self.record_user = record_user
        # (exception, entry index) of the recorded calls that raised, newest last.
        self.raised: Deque[Tuple[BaseException, int]] = deque(maxlen=_RAISED_KEPT)
        # Line-buffered: each entry reaches the file as it is written, so a live reader
        # (ws-lifecycle drive) sees a run's entries while the server keeps running.
        self._owns_file = sink is None
        self._file = open(path, "w", encoding="utf-8", buffering=1) if sink is None else sink
        self._queue: Deque[Dict[str, Any]] = deque()
        self._next = 0
        self._conns = 0
        self._clock = clock if clock is not None else time.perf_counter
        self._t0 = self._clock()
        header = {
            "format": FORMAT,
            "version": VERSION,
            "source": "real",
            "recorder": recorder,
            "design": {"name": design, "kind": "handler"},
            "profile": None,
            "meta": meta or {},
        }
        self._file.write(json.dumps(header) + "\n")

    def frame(self, message: Dict[str, Any]) -> Any:
        """The `frame` field of a data or close message, redacted and capped as configured."""
        if message.get("type") == "websocket.close":
            reason = message.get("reason") or ""
            if reason and self.redact_close_reasons:
                reason = REDACTED
            return {"code": message.get("code", 1000), "reason": reason}
        text = message.get("text")
        if text is None:
            data = message.get("bytes")
            text = data.decode("utf-8", "replace") if isinstance(data, (bytes, bytearray)) else None
        if text is None:
            return None
        try:
            value: Any = json.loads(text)
        except ValueError:
            value = text
        if self.redact:
            value = _redact(value, self.redact)
        if self.max_frame_chars is not None:
            shown = value if isinstance(value, str) else json.dumps(value)
            if len(shown) > self.max_frame_chars:
                return {"truncated": len(shown), "head": shown[: self.max_frame_chars], "events": _event_ids(value, [])}
        return value

    def new_conn(self) -> str:
        self._conns += 1
        return f"c{self._conns}"

    def entry(self, conn: Optional[str], actor: str, action: str, hold: Optional[str] = None, **fields: Any) -> Dict[str, Any]:
        """Appends an entry (None fields left out); `hold` = "call" or "next" delays writing it."""
        for held in self._queue:
            if held.get("_hold") == "next":
                del held["_hold"]
        e: Dict[str, Any] = {
            "i": self._next,
            "t": round((self._clock() - self._t0) * 1000, 3),
            "conn": conn,
            "actor": actor,
            "action": action,
        }
        e.update({k: v for k, v in fields.items() if v is not None})
        self._next += 1
        if hold is not None:
            e["_hold"] = hold
        self._queue.append(e)
        self._flush()
        return e

    def release(self, e: Dict[str, Any]) -> None:
        e.pop("_hold", None)
        self._flush()

    def _flush(self) -> None:
        while self._queue and "_hold" not in self._queue[0]:
            self._file.write(json.dumps(self._queue.popleft()) + "\n")

    def emit(
        self, websocket: Any, event_id: str, event_type: str, critical: bool = False, text: Optional[str] = None
    ) -> None:
        """An agent emits an event towards this connection (before the send is attempted).

        ``text``: the frame text the event becomes, when its frames carry no ``eventId``:
        ``check-trace`` then attributes frames by this content (P12: one connection's event on
        another connection's wire). Redaction does not apply to it: leave it out for secrets.
        """
        detail: Dict[str, Any] = {"eventId": event_id, "type": event_type, "critical": critical}
        if text is not None:
            detail["text"] = text
        self.entry(_conn_of(websocket), "workload", "emit", detail=detail)

    def emit_returned(self, websocket: Any, event_id: str, result: bool, error: Optional[BaseException] = None) -> None:
        """That emit call finished: True (claims delivery), False (refused) or raised."""
        detail: Dict[str, Any] = {"eventId": event_id, "result": "threw" if error is not None else ("true" if result else "false")}
        if error is not None:
            detail["error"] = str(error) or type(error).__name__
        self.entry(_conn_of(websocket), "workload", "emitReturned", detail=detail)

    def close(self) -> None:
        for e in self._queue:
            e.pop("_hold", None)
        self._flush()
        if self._owns_file:
            self._file.close()


def _conn_of(websocket_or_scope: Any) -> Optional[str]:
    scope = getattr(websocket_or_scope, "scope", websocket_or_scope)
    return scope.get(_CONN) if isinstance(scope, dict) else None


def _states(websocket: Any) -> Dict[str, str]:
    return {"client": websocket.client_state.name, "app": websocket.application_state.name}


class RecorderMiddleware:
    """ASGI middleware recording every WebSocket scope of `app` into `recorder`."""

    def __init__(self, app: Callable[..., Awaitable[None]], recorder: TraceRecorder, starlette: bool = True) -> None:
        self.app = app
        self.recorder = recorder
        if starlette:
            instrument_starlette(recorder)

    async def __call__(self, scope: Dict[str, Any], receive: Callable[[], Awaitable[Dict[str, Any]]], send: Callable[[Dict[str, Any]], Awaitable[None]]) -> None:
        if scope.get("type") != "websocket":
            await self.app(scope, receive, send)
            return
        rec = self.recorder
        conn = rec.new_conn()
        scope = dict(scope)
        scope[_CONN] = conn
        query = scope.get("query_string", b"").decode("latin-1")
        user = dict(p.split("=", 1) for p in query.split("&") if "=" in p).get("user") if rec.record_user else None
        rec.entry(conn, "workload", "open", detail={"userId": user} if user else None)

        async def traced_receive() -> Dict[str, Any]:
            message = await receive()
            kind = message.get("type")
            if kind == "websocket.connect":
                rec.entry(conn, "client", "connect")
            elif kind == "websocket.receive":
                rec.entry(conn, "client", "message", detail={"bytes": len(message.get("text") or message.get("bytes") or "")})
            elif kind == "websocket.disconnect":
                code = message.get("code", 1000)
                rec.entry(conn, "client", "abrupt" if code == 1006 else "close", detail={"code": code})
            return message

        proto = _protocol_of(send)

        async def traced_send(message: Dict[str, Any]) -> None:
            # Starlette has updated its states and calls us in the same turn: its call entry
            # gets its `after` and is written now (what the server does next is net/*).
            call = scope.get(_CALL)
            socket = scope.get(_SOCKET)
            if call is not None and socket is not None and "_hold" in call:
                call["after"] = _states(socket)
                rec.release(call)
            kind = message.get("type")
            closing_before = proto is not None and _transport_closing(proto)
            close_sent_before = proto.close_sent if proto is not None else None
            try:
                await send(message)
            except BaseException as exc:
                if not isinstance(exc, asyncio.CancelledError):
                    e = rec.entry(conn, "net", "sendFailed", message=kind, **_error_fields(exc))
                    _remember_raise(rec, exc, e["i"])
                raise
            if proto is None:
                # Not inspectable: the server's send returned, which is all that is known.
                rec.entry(conn, "net", "wire", message=kind, frame=rec.frame(message), detail={"verified": False})
            elif kind == "websocket.close":
                # websockets writes a close frame only from state OPEN, and marks it by
                # setting `close_sent` (its own echo of the peer's close is `close_rcvd`).
                sent = proto.close_sent
                if close_sent_before is None and sent is not None and sent is not proto.close_rcvd and not closing_before:
                    rec.entry(conn, "net", "wire", message=kind, frame=rec.frame(message))
                else:
                    rec.entry(conn, "net", "closeDropped", message=kind, detail={"state": getattr(proto.state, "name", str(proto.state)), "closeSentBefore": close_sent_before is not None, "transportClosing": _transport_closing(proto)})
            elif kind == "websocket.send" and closing_before:
                # asyncio's transport drops a write once its connection is lost.
                rec.entry(conn, "net", "sendDropped", message=kind, detail={"state": getattr(proto.state, "name", str(proto.state)), "transportClosing": True})
            else:
                rec.entry(conn, "net", "wire", message=kind, frame=rec.frame(message) if kind != "websocket.accept" else None)

        rec.entry(conn, "app", "handlerStarted")
        try:
            await self.app(scope, traced_receive, traced_send)
        except BaseException as exc:
            rec.entry(
                conn,
                "app",
                "handlerRaised",
                error=_error_text(exc),
                errorKind=_error_fields(exc)["errorKind"],
                detail={"exception": _exception_name(exc), "raisedBy": _raised_by(rec.raised, exc)},
            )
            raise
        rec.entry(conn, "app", "handlerReturned")


_installed: Dict[str, Any] = {}


def instrument_starlette(recorder: TraceRecorder) -> None:
    """Wraps starlette.websockets.WebSocket so its calls are recorded (idempotent per recorder)."""
    from starlette.websockets import WebSocket

    _installed["recorder"] = recorder
    if _installed.get("done"):
        return
    _installed["done"] = True
    original_send = WebSocket.send
    original_receive = WebSocket.receive

    def rec_of(ws: Any) -> Optional[TraceRecorder]:
        return _installed["recorder"] if _conn_of(ws) is not None else None

    @functools.wraps(original_send)
    async def send(self: Any, message: Dict[str, Any]) -> None:
        rec = rec_of(self)
        if rec is None:
            return await original_send(self, message)
        kind = message.get("type", "")
        action = {"websocket.accept": "accept", "websocket.close": "close"}.get(kind, "send")
        e = rec.entry(_conn_of(self), "app", action, hold="call", message=kind, before=_states(self), frame=rec.frame(message) if action != "accept" else None)
        self.scope[_SOCKET] = self
        self.scope[_CALL] = e
        try:
            await original_send(self, message)
        except BaseException as exc:
            _remember_raise(rec, exc, e["i"])
            if "_hold" in e:
                # Raised before the server was asked (Starlette's own state check).
                fields = _error_fields(exc)
                e["after"] = _states(self)
                e["error"], e["errorKind"] = fields["error"], fields["errorKind"]
                e["detail"] = {**e.get("detail", {}), **fields["detail"]}
            raise
        finally:
            if "_hold" in e:
                e.setdefault("after", _states(self))
                rec.release(e)

    @functools.wraps(original_receive)
    async def receive(self: Any) -> Dict[str, Any]:
        rec = rec_of(self)
        if rec is None:
            return await original_receive(self)
        outer = getattr(self, "_wsl_receiving", False)
        e = None if outer else rec.entry(_conn_of(self), "app", "receive", hold="next", before=_states(self))
        try:
            message = await original_receive(self)
        except BaseException as exc:
            _raised(rec, self, e, exc)
            raise
        rec.entry(_conn_of(self), "app", "received", message=message.get("type"), after=_states(self))
        return message

    def receiving(name: str) -> None:
        original = getattr(WebSocket, name)

        @functools.wraps(original)
        async def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            rec = rec_of(self)
            if rec is None:
                return await original(self, *args, **kwargs)
            e = rec.entry(_conn_of(self), "app", "receive", hold="next", before=_states(self), detail={"call": name})
            self._wsl_receiving = True
            try:
                return await original(self, *args, **kwargs)
            except BaseException as exc:
                _raised(rec, self, e, exc)
                raise
            finally:
                self._wsl_receiving = False

        setattr(WebSocket, name, wrapper)

    WebSocket.send = send  # type: ignore[method-assign]
    WebSocket.receive = receive  # type: ignore[method-assign]
    for name in ("receive_text", "receive_bytes", "receive_json"):
        receiving(name)


def _raised(rec: TraceRecorder, ws: Any, e: Optional[Dict[str, Any]], exc: BaseException) -> None:
    """Puts the exception on the call's entry when it raised at once, else records it after."""
    if e is not None:
        _remember_raise(rec, exc, e["i"])
    if type(exc).__name__ == "WebSocketDisconnect" or isinstance(exc, asyncio.CancelledError):
        return  # the `received` disconnect (or the cancellation) already says what happened
    fields = _error_fields(exc)
    if e is not None:
        fields["detail"] = {**e.get("detail", {}), **fields["detail"]}
    if e is not None and "_hold" in e:
        e.update(fields)
        rec.release(e)
    elif e is not None:
        rec.entry(_conn_of(ws), "app", "raised", **fields)
