"""chat_design.py: FastAPI's documented chat (chat.py beside it, unchanged) as a design."""
import json

from ws_lifecycle_runner import conn_of  # the scenario's connection id of a WebSocket

from chat import app, manager  # noqa: F401  your app, imported as it is (afresh for every run)

name = "chat"  # optional; default: the file's name
path = "/ws/{n}?user={user}"  # {conn}, {n} (1, 2, ...) and {user} per connection


def _socket(conn):
    return next((ws for ws in manager.active_connections if conn_of(ws) == conn), None)


async def emit(conn, event):  # optional: an agent emits an event to one connection
    websocket = _socket(conn)
    if websocket is None:
        return False  # refused: not (or no longer) connected
    await manager.send_personal_message(json.dumps(event["payload"]), websocket)
    return True


async def broadcast(event):  # optional: an agent broadcasts one event
    await manager.broadcast(json.dumps(event["payload"]))


# close(conn, code, reason): optional, only when the app has a server-side way to close one.
