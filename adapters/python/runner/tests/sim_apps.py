"""Small Starlette apps for the runner's tests."""

import asyncio
import time

from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket


async def clock(websocket: WebSocket) -> None:
    """Accepts, sleeps 250 ms, and sends what time.time() and time.monotonic() said."""
    await websocket.accept()
    start = time.monotonic()
    await asyncio.sleep(0.25)
    await websocket.send_json({"slept": round(time.monotonic() - start, 6), "wall": time.time()})
    await websocket.close()


async def executor(websocket: WebSocket) -> None:
    await websocket.accept()
    await asyncio.get_running_loop().run_in_executor(None, sum, [1, 2])


async def requeue(websocket: WebSocket) -> None:
    """Accepts, then re-queues one item forever: every await finds its value at once."""
    await websocket.accept()
    queue: asyncio.Queue = asyncio.Queue()
    await queue.put(0)
    while True:
        item = await asyncio.wait_for(queue.get(), timeout=1.0)
        await queue.put(item + 1)


async def creep(websocket: WebSocket) -> None:
    """Accepts, then sleeps a microsecond at a time forever: time creeps, 1,000 turns a ms."""
    await websocket.accept()
    while True:
        await asyncio.sleep(1e-6)


app = Starlette(
    routes=[
        WebSocketRoute("/clock", clock),
        WebSocketRoute("/executor", executor),
        WebSocketRoute("/requeue", requeue),
        WebSocketRoute("/creep", creep),
    ]
)
