"""A Starlette echo endpoint as a worker design (the runner's tests): it echoes each text
message, and its hooks send an agent event as JSON to a connection, to all, or close one."""

import json

from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from ws_lifecycle_runner import conn_of

name = "echo"
path = "/ws/{conn}?user={user}"
sockets = {}  # conn id -> WebSocket, while its handler runs


async def endpoint(websocket: WebSocket) -> None:
    await websocket.accept()
    sockets[conn_of(websocket)] = websocket
    try:
        while True:
            await websocket.send_text("echo:" + await websocket.receive_text())
    except WebSocketDisconnect:
        pass
    finally:
        sockets.pop(conn_of(websocket), None)


app = Starlette(routes=[WebSocketRoute("/ws/{conn}", endpoint)])


async def emit(conn, event):
    websocket = sockets.get(conn)
    if websocket is None:
        return False
    await websocket.send_text(json.dumps(event["payload"]))
    return True


async def broadcast(event):
    for websocket in list(sockets.values()):
        await websocket.send_text(json.dumps(event["payload"]))


async def close(conn, code, reason):
    websocket = sockets.get(conn)
    if websocket is not None:
        await websocket.close(code=code, reason=reason)
