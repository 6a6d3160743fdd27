"""A worker design whose emit hook never yields to time: it re-queues the event forever
(seed 000's `AsyncEventSequencer._process_events` when every send is refused)."""

import asyncio

from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

name = "spin"
path = "/ws/{conn}?user={user}"


async def endpoint(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            await websocket.receive_text()
    except WebSocketDisconnect:
        pass


app = Starlette(routes=[WebSocketRoute("/ws/{conn}", endpoint)])


async def process_events(queue: asyncio.Queue) -> None:
    while True:
        event = await asyncio.wait_for(queue.get(), timeout=1.0)
        await queue.put(event)  # refused: re-queued, and the queue is never empty


async def emit(conn, event):
    queue: asyncio.Queue = asyncio.Queue()
    await queue.put(event)
    await process_events(queue)
    return True
