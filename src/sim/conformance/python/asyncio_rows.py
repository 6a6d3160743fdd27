"""Scripted asyncio sequences, one per row of src/sim/conformance/runtime.test.ts.

Each row prints the order of observable steps as a list of strings; the simulated runtime
must produce the same list (runtime.test.ts has each expected list). Run with any CPython
3.11+: `python3 asyncio_rows.py` prints {"python": "3.11", "rows": {name: [steps]}} as JSON.
"""
import asyncio
import json
import sys


async def task_start_order():
    log = []

    async def named(name):
        log.append(name)

    asyncio.create_task(named("a"))
    asyncio.create_task(named("b"))
    log.append("caller")
    await asyncio.sleep(0.01)
    return log


async def sleep_zero_one_step():
    log = []

    async def worker(name):
        log.append(f"{name}1")
        await asyncio.sleep(0)
        log.append(f"{name}2")

    await asyncio.gather(worker("a"), worker("b"))
    return log


async def lock_fifo():
    lock = asyncio.Lock()
    log = []

    async def section(name, ms):
        async with lock:
            log.append(f"{name}+")
            await asyncio.sleep(ms / 1000)
            log.append(f"{name}-")

    await asyncio.gather(section("a", 10), section("b", 5), section("c", 1))
    return log


async def lock_wake_next_turn():
    lock = asyncio.Lock()
    log = []

    async def releaser():
        async with lock:
            await asyncio.sleep(0.005)
        log.append("releaser after the lock")
        await asyncio.sleep(0)
        log.append("releaser after its next await")

    async def waiter():
        await asyncio.sleep(0)
        async with lock:
            log.append("waiter in the lock")

    await asyncio.gather(releaser(), waiter())
    return log


async def lock_locked_after_release():
    lock = asyncio.Lock()
    log = []

    async def waiter():
        async with lock:
            log.append(f"waiter in, locked={lock.locked()}")

    await lock.acquire()
    task = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    lock.release()
    log.append(f"after release, locked={lock.locked()}")
    await task
    log.append(f"end, locked={lock.locked()}")
    return log


async def lock_no_barging():
    lock = asyncio.Lock()
    log = []

    async def waiter():
        async with lock:
            log.append("waiter in")

    await lock.acquire()
    task = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    lock.release()
    await lock.acquire()  # the woken waiter has not run yet: no barging past it
    log.append("main in")
    lock.release()
    await task
    return log


async def lock_woken_waiter_cancelled():
    lock = asyncio.Lock()
    log = []

    async def waiter(name):
        try:
            async with lock:
                log.append(f"{name} acquired")
        except asyncio.CancelledError:
            log.append(f"{name} cancelled")
            raise

    await lock.acquire()
    b = asyncio.create_task(waiter("b"))
    c = asyncio.create_task(waiter("c"))
    await asyncio.sleep(0)
    lock.release()  # wakes b
    b.cancel()  # before b ran
    await asyncio.gather(b, c, return_exceptions=True)
    log.append(f"end, locked={lock.locked()}")
    return log


async def queue_put_to_waiting_getter():
    q = asyncio.Queue()
    log = []

    async def getter():
        item = await q.get()
        log.append(f"getter got {item}")

    task = asyncio.create_task(getter())
    await asyncio.sleep(0)
    q.put_nowait("x")
    log.append(f"after put, qsize={q.qsize()}")
    item = await q.get()  # the item is still there: this get takes it first
    log.append(f"caller got {item}")
    q.put_nowait("y")
    await task
    log.append(f"end, qsize={q.qsize()}")
    return log


async def queue_woken_getter_cancelled():
    q = asyncio.Queue()
    log = []

    async def getter(name):
        try:
            item = await q.get()
            log.append(f"{name} got {item}")
        except asyncio.CancelledError:
            log.append(f"{name} cancelled")
            raise

    a = asyncio.create_task(getter("a"))
    b = asyncio.create_task(getter("b"))
    await asyncio.sleep(0)
    q.put_nowait("x")  # wakes a
    a.cancel()  # before a ran: the item stays and b is woken instead
    await asyncio.gather(a, b, return_exceptions=True)
    log.append(f"end, qsize={q.qsize()}")
    return log


async def cancel_at_later_await():
    log = []

    async def worker():
        await asyncio.sleep(0.001)
        log.append("first await done")
        try:
            await asyncio.sleep(10)
            log.append("second sleep finished")
        except asyncio.CancelledError:
            log.append("CancelledError at the second sleep")
            raise

    start = asyncio.get_running_loop().time()
    task = asyncio.create_task(worker())
    await asyncio.sleep(0.01)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        log.append(f"awaiter sees CancelledError, cancelled={task.cancelled()}")
    log.append(f"within 1 s: {asyncio.get_running_loop().time() - start < 1}")
    return log


async def cancel_caught_and_continued():
    log = []

    async def worker():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log.append("caught")
        await asyncio.sleep(0.001)
        log.append("went on")
        return 7

    task = asyncio.create_task(worker())
    await asyncio.sleep(0.005)
    task.cancel()
    value = await task
    log.append(f"result {value}, cancelled={task.cancelled()}")
    return log


async def cancel_before_start():
    log = []

    async def worker():
        log.append("body ran")

    task = asyncio.create_task(worker())
    task.cancel()
    await asyncio.sleep(0.001)
    log.append(f"done={task.done()}, cancelled={task.cancelled()}")
    return log


async def wait_for_hop():
    log = []

    async def inner():
        log.append("inner started")

    async def a():
        log.append("a")
        await asyncio.wait_for(inner(), 1)

    async def b():
        log.append("b")

    await asyncio.gather(a(), b())
    return log


async def wait_for_resume_steps():
    log = []

    async def inner():
        log.append("inner")

    async def a():
        await asyncio.wait_for(inner(), 1)
        log.append("a resumed")

    async def b():
        for k in range(5):
            log.append(f"b{k}")
            await asyncio.sleep(0)

    await asyncio.gather(a(), b())
    return log


async def wait_for_timeout_keeps_next_item():
    q = asyncio.Queue()
    log = []
    try:
        await asyncio.wait_for(q.get(), 0.01)
    except asyncio.TimeoutError:
        log.append("TimeoutError")
    q.put_nowait("next")
    log.append(f"qsize={q.qsize()}")
    log.append(f"got {await q.get()}")
    return log


async def wait_for_timeout_cancels_inner():
    log = []

    async def inner():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            log.append("inner CancelledError")
            raise

    try:
        await asyncio.wait_for(inner(), 0.01)
    except asyncio.TimeoutError:
        log.append("TimeoutError")
    return log


async def wait_for_requeue_never_yields():
    # seed 000 §2.1.B _process_events re-queueing an event it could not send, bounded here.
    log = []
    queue = asyncio.Queue()
    queue.put_nowait(0)

    async def sibling():
        for k in range(8):
            log.append(f"sibling{k}")
            await asyncio.sleep(0)

    async def requeue():
        for k in range(4):
            item = await asyncio.wait_for(queue.get(), 1.0)
            log.append(f"requeue{k}")
            await queue.put(item + 1)

    await asyncio.gather(asyncio.create_task(sibling()), asyncio.create_task(requeue()))
    return log


async def wait_for_zero_timeout():
    log = []
    queue = asyncio.Queue()
    queue.put_nowait("item")

    async def inner():
        log.append("inner started")
        return await queue.get()

    try:
        log.append(f"got {await asyncio.wait_for(inner(), 0)}")
    except asyncio.TimeoutError:
        log.append("TimeoutError")
    log.append(f"qsize={queue.qsize()}")
    return log


async def event_wakes_all():
    event = asyncio.Event()
    log = []

    async def waiter(name):
        await event.wait()
        log.append(f"{name} woken")

    tasks = [asyncio.create_task(waiter("a")), asyncio.create_task(waiter("b"))]
    await asyncio.sleep(0)
    event.set()
    log.append("set")
    await asyncio.gather(*tasks)
    return log


async def queue_fifo():
    q = asyncio.Queue()
    for item in (1, 2, 3):
        q.put_nowait(item)
    return [str(await q.get()) for _ in range(3)]


ROWS = [
    task_start_order,
    sleep_zero_one_step,
    lock_fifo,
    lock_wake_next_turn,
    lock_locked_after_release,
    lock_no_barging,
    lock_woken_waiter_cancelled,
    queue_put_to_waiting_getter,
    queue_woken_getter_cancelled,
    cancel_at_later_await,
    cancel_caught_and_continued,
    cancel_before_start,
    wait_for_hop,
    wait_for_resume_steps,
    wait_for_timeout_keeps_next_item,
    wait_for_timeout_cancels_inner,
    wait_for_requeue_never_yields,
    wait_for_zero_timeout,
    event_wakes_all,
    queue_fifo,
]


def main():
    rows = {row.__name__: asyncio.run(row()) for row in ROWS}
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    print(json.dumps({"python": version, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
