"""When does ``websocket.connect`` reach a Starlette app under uvicorn, relative to the
client's upgrade request and to the handshake? (Measured by bench/uvicornConnect.ts.)

For each connection the endpoint sends one JSON message with wall-clock times in ms
(``time.time_ns``, the same clock as Node's ``performance.timeOrigin + now()``) and the
number of event-loop turns between the ASGI app being called and each step.

Run: /usr/bin/python3 connect_timing.py PORT  (127.0.0.1 only)
"""

import asyncio
import sys
import time

import uvicorn

turns = 0


async def count_turns() -> None:
    global turns
    while True:
        turns += 1
        await asyncio.sleep(0)


def now_ms() -> float:
    return time.time_ns() / 1e6


async def app(scope, receive, send):  # a bare ASGI app: nothing between uvicorn and us
    if scope["type"] == "lifespan":
        return
    called, turn0 = now_ms(), turns
    message = await receive()
    connect, turn_connect = now_ms(), turns
    assert message["type"] == "websocket.connect"
    delay_ms = int(dict(p.split("=") for p in scope["query_string"].decode().split("&") if "=" in p).get("acceptDelayMs", "0"))
    if delay_ms:
        await asyncio.sleep(delay_ms / 1000)
    accept_called = now_ms()
    await send({"type": "websocket.accept"})
    accept_returned, turn_accept = now_ms(), turns
    body = (
        f'{{"called":{called},"connect":{connect},"acceptCalled":{accept_called},'
        f'"acceptReturned":{accept_returned},"turnsToConnect":{turn_connect - turn0},'
        f'"turnsToAcceptReturn":{turn_accept - turn0}}}'
    )
    await send({"type": "websocket.send", "text": body})
    message = await receive()  # the client's close
    if message["type"] != "websocket.disconnect":
        await send({"type": "websocket.close", "code": 1000})


async def main(port: int) -> None:
    asyncio.create_task(count_turns())
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="websockets", lifespan="off")
    await uvicorn.Server(config).serve()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
