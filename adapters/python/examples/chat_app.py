"""A Starlette chat endpoint in two versions, served by uvicorn with the recorder.

``naive``: seed 001 "Before (Race Condition Vulnerable)": ``accept() -> START
message_loop()`` with no state check, an agent writing events straight to the socket (seed
000 section 1.1, "Some event paths don't validate connection state before emission") and a
cleanup task closing the socket from another task (SPEC section 9), with nothing shared
between the three.

``fixed``: one lock around every write and the close; each write and each receive checks
Starlette's states first; the loop stops once the application state left CONNECTED.

Run: /usr/bin/python3 chat_app.py naive|fixed PORT TRACE_FILE  (listens on 127.0.0.1 only)
"""

import asyncio
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import uvicorn  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.routing import WebSocketRoute  # noqa: E402
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState  # noqa: E402

from ws_lifecycle_recorder import RecorderMiddleware, TraceRecorder  # noqa: E402

EVENTS = 12  # events an agent emits per connection
EVENT_GAP_S = 0.004
HANDLING_S = 0.002  # what handling one client message costs (a database call, say)


def query(websocket: WebSocket, name: str, default: str) -> str:
    return websocket.query_params.get(name, default)


def build(variant: str, recorder: TraceRecorder) -> Starlette:
    async def naive(websocket: WebSocket) -> None:
        await websocket.accept()
        close_after = int(query(websocket, "closeAfterMs", "40")) / 1000

        async def agent() -> None:
            for k in range(EVENTS):
                event_id = f"{recorder_conn(websocket)}.e{k + 1}"
                recorder.emit(websocket, event_id, "agent_thinking")
                try:
                    # seed 000 §1.1 item 4: no state check before the write
                    await websocket.send_json({"type": "agent_thinking", "payload": {"eventId": event_id}})
                except Exception as exc:  # noqa: BLE001 - the agent logs and carries on
                    recorder.emit_returned(websocket, event_id, False, exc)
                else:
                    recorder.emit_returned(websocket, event_id, True)
                await asyncio.sleep(EVENT_GAP_S)

        async def cleanup() -> None:
            # SPEC section 9: the cleanup closes from its own task, whatever the loop is doing
            await asyncio.sleep(close_after)
            await websocket.close(code=1000)

        tasks = [asyncio.create_task(agent()), asyncio.create_task(cleanup())]
        try:
            # seed 001 "Before": accept() -> START message_loop(), no readiness check
            while True:
                await websocket.receive_text()
                await asyncio.sleep(HANDLING_S)
        except WebSocketDisconnect:
            pass
        finally:
            await asyncio.gather(*tasks, return_exceptions=True)

    async def fixed(websocket: WebSocket) -> None:
        await websocket.accept()
        close_after = int(query(websocket, "closeAfterMs", "40")) / 1000
        lock = asyncio.Lock()

        def open_both() -> bool:
            return (
                websocket.application_state == WebSocketState.CONNECTED
                and websocket.client_state == WebSocketState.CONNECTED
            )

        async def agent() -> None:
            for k in range(EVENTS):
                event_id = f"{recorder_conn(websocket)}.e{k + 1}"
                recorder.emit(websocket, event_id, "agent_thinking")
                async with lock:
                    if not open_both():
                        recorder.emit_returned(websocket, event_id, False)
                        return
                    try:
                        await websocket.send_json({"type": "agent_thinking", "payload": {"eventId": event_id}})
                    except Exception as exc:  # noqa: BLE001 - a vanished client: refused openly
                        recorder.emit_returned(websocket, event_id, False, exc)
                        continue
                recorder.emit_returned(websocket, event_id, True)
                await asyncio.sleep(EVENT_GAP_S)

        async def cleanup() -> None:
            await asyncio.sleep(close_after)
            async with lock:
                if open_both():
                    await websocket.close(code=1000)

        tasks = [asyncio.create_task(agent()), asyncio.create_task(cleanup())]
        try:
            while websocket.application_state == WebSocketState.CONNECTED:
                message = await websocket.receive()
                if message["type"] == "websocket.disconnect":
                    break
                await asyncio.sleep(HANDLING_S)
        finally:
            await asyncio.gather(*tasks, return_exceptions=True)

    endpoint = naive if variant == "naive" else fixed
    return Starlette(routes=[WebSocketRoute("/ws", endpoint)])


def recorder_conn(websocket: WebSocket) -> str:
    return websocket.scope.get("ws_lifecycle.conn", "c?")


def main() -> None:
    variant, port, trace_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if variant not in ("naive", "fixed"):
        sys.exit(f"unknown variant {variant!r}; use naive or fixed")
    recorder = TraceRecorder(trace_path, design=f"starlette-{variant}", meta={"python": sys.version.split()[0]})
    app = RecorderMiddleware(build(variant, recorder), recorder)
    try:
        uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", ws="websockets", lifespan="off")
    finally:
        recorder.close()


if __name__ == "__main__":
    main()
