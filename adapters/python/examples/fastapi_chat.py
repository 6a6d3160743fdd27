"""FastAPI's documented chat (ConnectionManager with a broadcast), served with the recorder.

``chat``: the "Handling disconnections and multiple clients" example of FastAPI's WebSockets
tutorial as written there: ``broadcast`` sends to every connection in turn with no error
handling, and a connection leaves the list only once its own handler saw the disconnect.
When a client vanishes, another handler's broadcast can reach it first: the send raises and
the exception escapes that handler.

``late-close``: an endpoint that accepts, does not read, and closes after ``closeAfterMs``
(a query parameter): when the client has vanished by then, the server swallows the close.

Frames are recorded with ``redact=("secret",)`` and ``redact_close_reasons=True``.

Run: /usr/bin/python3 fastapi_chat.py chat|late-close PORT TRACE_FILE  (127.0.0.1 only)
"""

import asyncio
import os
import sys
from typing import List

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import uvicorn  # noqa: E402
from fastapi import FastAPI, WebSocket, WebSocketDisconnect  # noqa: E402

from ws_lifecycle_recorder import RecorderMiddleware, TraceRecorder  # noqa: E402


class ConnectionManager:
    def __init__(self) -> None:
        self.active_connections: List[WebSocket] = []

    async def connect(self, websocket: WebSocket) -> None:
        await websocket.accept()
        self.active_connections.append(websocket)

    def disconnect(self, websocket: WebSocket) -> None:
        self.active_connections.remove(websocket)

    async def send_personal_message(self, message: str, websocket: WebSocket) -> None:
        await websocket.send_text(message)

    async def broadcast(self, message: str) -> None:
        for connection in self.active_connections:
            await connection.send_text(message)


def build(variant: str) -> FastAPI:
    app = FastAPI()
    manager = ConnectionManager()

    @app.websocket("/ws/{client_id}")
    async def chat(websocket: WebSocket, client_id: int) -> None:
        await manager.connect(websocket)
        try:
            while True:
                data = await websocket.receive_text()
                await manager.send_personal_message(f"You wrote: {data}", websocket)
                await manager.broadcast(f"Client #{client_id} says: {data}")
        except WebSocketDisconnect:
            manager.disconnect(websocket)
            await manager.broadcast(f"Client #{client_id} left the chat")

    @app.websocket("/late-close")
    async def late_close(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_json({"type": "hello", "secret": "s3cr3t", "payload": {"eventId": "hello-1"}})
        await asyncio.sleep(int(websocket.query_params.get("closeAfterMs", "80")) / 1000)
        await websocket.close(code=1000, reason="session over for s3cr3t")

    return app


def main() -> None:
    variant, port, trace_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if variant not in ("chat", "late-close"):
        sys.exit(f"unknown variant {variant!r}; use chat or late-close")
    recorder = TraceRecorder(
        trace_path,
        design=f"fastapi-{variant}",
        meta={"python": sys.version.split()[0]},
        redact=("secret",),
        redact_close_reasons=True,
    )
    app = RecorderMiddleware(build(variant), recorder)
    try:
        uvicorn.run(app, host="127.0.0.1", port=port, log_level="critical", ws="websockets", lifespan="off")
    finally:
        recorder.close()


if __name__ == "__main__":
    main()
