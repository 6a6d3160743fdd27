"""FastAPI's documented chat (../../examples/fastapi_chat.py, ``build('chat')``, unchanged) as
a design for the worker: the workload's agent events and cleanup go through its own
``ConnectionManager`` (the ``manager`` its endpoint closes over).

    /usr/bin/python3 -m ws_lifecycle_runner serve designs/fastapi_chat.py
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples"))

from fastapi_chat import build  # noqa: E402

from ws_lifecycle_runner import conn_of  # noqa: E402

name = "fastapi-chat"
# The endpoint's client_id is an int: {n} is the connection's number (1 for the first opened).
path = "/ws/{n}?user={user}"
app = build("chat")

_endpoint = next(route.endpoint for route in app.routes if getattr(route, "path", None) == "/ws/{client_id}")
manager = _endpoint.__closure__[_endpoint.__code__.co_freevars.index("manager")].cell_contents


def _socket(conn):
    return next((ws for ws in manager.active_connections if conn_of(ws) == conn), None)


def _text(event):
    return json.dumps({"type": event["type"], "payload": event["payload"]})


async def emit(conn, event):
    websocket = _socket(conn)
    if websocket is None:
        return False  # not (or no longer) in the manager's list: refused
    await manager.send_personal_message(_text(event), websocket)
    return True


async def broadcast(event):
    await manager.broadcast(_text(event))


# No `close` hook: the app has no server-side way to close a connection, so a cleanup task
# closing one would test glue, not the app.
