"""An app module with module-level state: every connection is appended to `seen`, and the
app sends how many it has seen."""
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute

seen = []


async def endpoint(websocket):
    await websocket.accept()
    seen.append(websocket)
    await websocket.send_text(str(len(seen)))
    await websocket.receive_text()


app = Starlette(routes=[WebSocketRoute("/ws/{conn}", endpoint)])
