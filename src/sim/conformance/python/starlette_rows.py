"""Scripted sequences against Starlette's real WebSocket, one per row of
src/sim/conformance/socketRows.ts (same names).

A scripted ASGI pair stands in for the server: `receive` pops scripted messages, `send`
records them, or raises OSError once the peer is marked gone. Each row prints one line per
call: the call, its outcome (`ok`, a value, or `Class: text`) and both states after it.

Usage: python3 starlette_rows.py [path/to/starlette/websockets.py]
Without a path the installed starlette.websockets is used; with one, that file is loaded
in its place (a newer release's, on top of the installed package's other modules).
Prints {"starlette": version, "rows": {name: [lines]}} as JSON.
"""
import asyncio
import importlib.util
import json
import sys

import starlette

if len(sys.argv) > 1:
    spec = importlib.util.spec_from_file_location("starlette.websockets", sys.argv[1])
    websockets = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(websockets)
    VERSION = sys.argv[2] if len(sys.argv) > 2 else sys.argv[1]
else:
    import starlette.websockets as websockets

    VERSION = starlette.__version__

WebSocket = websockets.WebSocket
WebSocketDisconnect = websockets.WebSocketDisconnect


class Pair:
    def __init__(self, inbound):
        self.inbound = list(inbound)
        self.sent = []
        self.gone = False

    async def receive(self):
        return self.inbound.pop(0)

    async def send(self, message):
        if self.gone and message["type"] == "websocket.send":
            raise OSError("gone")
        self.sent.append(message)


CONNECT = {"type": "websocket.connect"}


class Row:
    def __init__(self, inbound):
        self.pair = Pair(inbound)
        self.ws = WebSocket({"type": "websocket"}, self.pair.receive, self.pair.send)
        self.log = []

    async def call(self, label, coro):
        try:
            value = await coro
            outcome = "ok" if value is None else f"-> {value!r}"
        except WebSocketDisconnect as exc:
            outcome = f"WebSocketDisconnect({exc.code})"
        except Exception as exc:  # noqa: BLE001 - the row prints whatever is raised
            outcome = f"{type(exc).__name__}: {exc}"
        states = f"client={self.ws.client_state.name} app={self.ws.application_state.name}"
        self.log.append(f"{label}: {outcome}; {states}")


async def accept_message():
    row = Row([CONNECT])
    await row.call("accept", row.ws.accept())
    row.log.append(f"sent {json.dumps(row.pair.sent[0], sort_keys=True)}")
    return row.log


async def send_before_accept():
    row = Row([CONNECT])
    await row.call("send_text", row.ws.send_text("x"))
    return row.log


async def receive_text_before_accept():
    row = Row([CONNECT])
    await row.call("receive_text", row.ws.receive_text())
    return row.log


async def receive_wrong_first_message():
    row = Row([{"type": "websocket.receive", "text": "x"}])
    await row.call("receive", row.ws.receive())
    return row.log


async def receive_text_on_binary_frame():
    row = Row([CONNECT, {"type": "websocket.receive", "bytes": b"x"}])
    await row.call("accept", row.ws.accept())
    await row.call("receive_text", row.ws.receive_text())
    return row.log


async def receive_bytes_on_text_frame():
    row = Row([CONNECT, {"type": "websocket.receive", "text": "x"}])
    await row.call("accept", row.ws.accept())
    await row.call("receive_bytes", row.ws.receive_bytes())
    return row.log


async def receive_after_disconnect():
    row = Row([CONNECT, {"type": "websocket.disconnect", "code": 4000}])
    await row.call("accept", row.ws.accept())
    await row.call("receive_text", row.ws.receive_text())
    await row.call("receive", row.ws.receive())
    return row.log


async def denial_response():
    row = Row([CONNECT])
    await row.call("receive", row.ws.receive())
    start = {"type": "websocket.http.response.start", "status": 403, "headers": []}
    await row.call("send http.response.start", row.ws.send(start))
    body = {"type": "websocket.http.response.body", "body": b"denied"}
    await row.call("send http.response.body", row.ws.send(body))
    await row.call("send_text", row.ws.send_text("x"))
    return row.log


async def failed_write():
    row = Row([CONNECT, {"type": "websocket.disconnect", "code": 1006}])
    await row.call("accept", row.ws.accept())
    row.pair.gone = True
    await row.call("send_text", row.ws.send_text("x"))
    await row.call("receive_text", row.ws.receive_text())
    return row.log


async def close_twice():
    row = Row([CONNECT])
    await row.call("accept", row.ws.accept())
    await row.call("close", row.ws.close())
    await row.call("close", row.ws.close())
    await row.call("receive_text", row.ws.receive_text())
    row.log.append(f"sent {json.dumps(row.pair.sent[-1], sort_keys=True)}")
    return row.log


async def close_before_accept():
    row = Row([CONNECT])
    await row.call("close", row.ws.close(1008, "denied"))
    await row.call("send_text", row.ws.send_text("x"))
    return row.log


async def send_json_compact():
    row = Row([CONNECT])
    await row.call("accept", row.ws.accept())
    await row.call("send_json", row.ws.send_json({"a": [1, 2]}))
    row.log.append(f"sent {json.dumps(row.pair.sent[-1], sort_keys=True)}")
    return row.log


ROWS = [
    accept_message,
    send_before_accept,
    receive_text_before_accept,
    receive_wrong_first_message,
    receive_text_on_binary_frame,
    receive_bytes_on_text_frame,
    receive_after_disconnect,
    denial_response,
    failed_write,
    close_twice,
    close_before_accept,
    send_json_compact,
]


def main():
    rows = {row.__name__: asyncio.run(row()) for row in ROWS}
    print(json.dumps({"starlette": VERSION, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
