/**
 * The runtime conformance table: scripted asyncio sequences, each with the CPython source
 * it copies, the steps real asyncio prints (src/sim/conformance/python/asyncio_rows.py, one
 * function per row, same name) and the same sequence written against the simulated runtime.
 * runtime.test.ts runs every row on the simulation and, where /usr/bin/python3 exists, the
 * Python script, and compares both with `expected`.
 */
import { CancelledError, TimeoutError } from '../errors.ts';
import type { Runtime, RuntimeTask } from '../runtime.ts';
import type { PythonVersion } from '../types.ts';

/** One row: what is copied, what asyncio prints, and the simulated sequence. */
export interface RuntimeRow {
  /** The function of asyncio_rows.py that runs the same sequence on real asyncio. */
  readonly name: string;
  /** The CPython source copied: version, file, function. */
  readonly cpython: string;
  /** Steps asyncio prints, per Python version where they differ. */
  readonly expected: string[] | Readonly<Record<PythonVersion, string[]>>;
  /** The sequence on the simulated runtime, run as the main task (`asyncio.run`). */
  readonly simulate: (rt: Runtime, log: string[], python: PythonVersion) => Promise<void>;
}

/** The steps a row expects on `python`. */
export function expectedOn(row: RuntimeRow, python: PythonVersion): string[] {
  return Array.isArray(row.expected)
    ? row.expected
    : (row.expected as Record<PythonVersion, string[]>)[python];
}

const locks = 'CPython 3.11 Lib/asyncio/locks.py';
const queues = 'CPython 3.11 Lib/asyncio/queues.py';
const tasks = 'CPython 3.11 Lib/asyncio/tasks.py';

/** Python's `str()` of a bool. */
function pyBool(value: boolean): string {
  return value ? 'True' : 'False';
}

function spawn(rt: Runtime, name: string, fn: () => Promise<unknown>): RuntimeTask<unknown> {
  return rt.spawnTask(name, fn, null, false);
}

/** `asyncio.gather(..., return_exceptions=True)` over tasks already spawned. */
async function gather(all: readonly RuntimeTask<unknown>[]): Promise<void> {
  for (const task of all) await task.finished;
}

async function logCancel(log: string[], name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof CancelledError) log.push(`${name} cancelled`);
    throw error;
  }
}

/** Every row of the runtime table. */
export const runtimeRows: readonly RuntimeRow[] = [
  {
    name: 'task_start_order',
    cpython: `${tasks} Task.__init__ (call_soon(self.__step)): a task starts on a later turn, in creation order`,
    expected: ['caller', 'a', 'b'],
    simulate: async (rt, log) => {
      spawn(rt, 'a', async () => void log.push('a'));
      spawn(rt, 'b', async () => void log.push('b'));
      log.push('caller');
      await rt.sleep(10);
    },
  },
  {
    name: 'sleep_zero_one_step',
    cpython: `${tasks} sleep (delay <= 0: __sleep0, one bare yield): one task step per loop turn`,
    expected: ['a1', 'b1', 'a2', 'b2'],
    simulate: async (rt, log) => {
      const worker = (name: string) => async (): Promise<void> => {
        log.push(`${name}1`);
        await rt.sleep(0);
        log.push(`${name}2`);
      };
      await gather([spawn(rt, 'a', worker('a')), spawn(rt, 'b', worker('b'))]);
    },
  },
  {
    name: 'lock_fifo',
    cpython: `${locks} Lock.acquire: waiters are served first in, first out`,
    expected: ['a+', 'a-', 'b+', 'b-', 'c+', 'c-'],
    simulate: async (rt, log) => {
      const lock = rt.lock();
      const section = (name: string, ms: number) => () =>
        lock.run(async () => {
          log.push(`${name}+`);
          await rt.sleep(ms);
          log.push(`${name}-`);
        });
      await gather([
        spawn(rt, 'a', section('a', 10)),
        spawn(rt, 'b', section('b', 5)),
        spawn(rt, 'c', section('c', 1)),
      ]);
    },
  },
  {
    name: 'lock_wake_next_turn',
    cpython: `${locks} Lock.release -> _wake_up_first (fut.set_result): the waiter runs a step later`,
    expected: ['releaser after the lock', 'waiter in the lock', 'releaser after its next await'],
    simulate: async (rt, log) => {
      const lock = rt.lock();
      const releaser = spawn(rt, 'releaser', async () => {
        await lock.run(() => rt.sleep(5));
        log.push('releaser after the lock');
        await rt.sleep(0);
        log.push('releaser after its next await');
      });
      const waiter = spawn(rt, 'waiter', async () => {
        await rt.sleep(0);
        await lock.run(async () => void log.push('waiter in the lock'));
      });
      await gather([releaser, waiter]);
    },
  },
  {
    name: 'lock_locked_after_release',
    cpython: `${locks} Lock.release (self._locked = False at once) and Lock.acquire (_locked = True when the waiter runs)`,
    expected: ['after release, locked=False', 'waiter in, locked=True', 'end, locked=False'],
    simulate: async (rt, log) => {
      const lock = rt.lock();
      await lock.acquire();
      const task = spawn(rt, 'waiter', () =>
        lock.run(async () => void log.push(`waiter in, locked=${pyBool(lock.locked())}`)),
      );
      await rt.sleep(0);
      lock.release();
      log.push(`after release, locked=${pyBool(lock.locked())}`);
      await task.finished;
      log.push(`end, locked=${pyBool(lock.locked())}`);
    },
  },
  {
    name: 'lock_no_barging',
    cpython: `${locks} Lock.acquire (free, but a woken waiter not yet run is still in _waiters and not cancelled: wait)`,
    expected: ['waiter in', 'main in'],
    simulate: async (rt, log) => {
      const lock = rt.lock();
      await lock.acquire();
      const task = spawn(rt, 'waiter', () => lock.run(async () => void log.push('waiter in')));
      await rt.sleep(0);
      lock.release();
      await lock.acquire();
      log.push('main in');
      lock.release();
      await task.finished;
    },
  },
  {
    name: 'lock_woken_waiter_cancelled',
    cpython: `${locks} Lock.acquire (except CancelledError: if not self._locked: self._wake_up_first())`,
    expected: ['b cancelled', 'c acquired', 'end, locked=False'],
    simulate: async (rt, log) => {
      const lock = rt.lock();
      const waiter = (name: string) => () =>
        logCancel(log, name, () => lock.run(async () => void log.push(`${name} acquired`)));
      await lock.acquire();
      const b = spawn(rt, 'b', waiter('b'));
      const c = spawn(rt, 'c', waiter('c'));
      await rt.sleep(0);
      lock.release();
      b.cancel();
      await gather([b, c]);
      log.push(`end, locked=${pyBool(lock.locked())}`);
    },
  },
  {
    name: 'queue_put_to_waiting_getter',
    cpython: `${queues} Queue.put_nowait (item queued, _wakeup_next) and Queue.get (while self.empty(): await getter)`,
    expected: ['after put, qsize=1', 'caller got x', 'getter got y', 'end, qsize=0'],
    simulate: async (rt, log) => {
      const q = rt.queue<string>();
      const task = spawn(rt, 'getter', async () => void log.push(`getter got ${await q.get()}`));
      await rt.sleep(0);
      await q.put('x');
      log.push(`after put, qsize=${q.size()}`);
      log.push(`caller got ${await q.get()}`);
      await q.put('y');
      await task.finished;
      log.push(`end, qsize=${q.size()}`);
    },
  },
  {
    name: 'queue_woken_getter_cancelled',
    cpython: `${queues} Queue.get (except: ... if not self.empty() and not getter.cancelled(): self._wakeup_next)`,
    expected: ['a cancelled', 'b got x', 'end, qsize=0'],
    simulate: async (rt, log) => {
      const q = rt.queue<string>();
      const getter = (name: string) => () =>
        logCancel(log, name, async () => void log.push(`${name} got ${await q.get()}`));
      const a = spawn(rt, 'a', getter('a'));
      const b = spawn(rt, 'b', getter('b'));
      await rt.sleep(0);
      await q.put('x');
      a.cancel();
      await gather([a, b]);
      log.push(`end, qsize=${q.size()}`);
    },
  },
  {
    name: 'cancel_at_later_await',
    cpython: `${tasks} Task.cancel (self._fut_waiter.cancel()) and Task.__step: CancelledError at whatever await the task is suspended on`,
    expected: [
      'first await done',
      'CancelledError at the second sleep',
      'awaiter sees CancelledError, cancelled=True',
      'within 1 s: True',
    ],
    simulate: async (rt, log) => {
      const task = spawn(rt, 'worker', async () => {
        await rt.sleep(1);
        log.push('first await done');
        try {
          await rt.sleep(10_000);
          log.push('second sleep finished');
        } catch (error) {
          if (error instanceof CancelledError) log.push('CancelledError at the second sleep');
          throw error;
        }
      });
      await rt.sleep(10);
      task.cancel();
      try {
        await task.join();
      } catch (error) {
        if (error instanceof CancelledError)
          log.push(`awaiter sees CancelledError, cancelled=${pyBool(task.wasCancelled())}`);
      }
      log.push(`within 1 s: ${pyBool(rt.now() < 1000)}`);
    },
  },
  {
    name: 'cancel_caught_and_continued',
    cpython: `${tasks} Task.__step: a coroutine that catches CancelledError runs on and its task is not cancelled`,
    expected: ['caught', 'went on', 'result 7, cancelled=False'],
    simulate: async (rt, log) => {
      const task = rt.spawnTask(
        'worker',
        async () => {
          try {
            await rt.sleep(10_000);
          } catch {
            log.push('caught');
          }
          await rt.sleep(1);
          log.push('went on');
          return 7;
        },
        null,
        false,
      );
      await rt.sleep(5);
      task.cancel();
      const value = await task.join();
      log.push(`result ${value}, cancelled=${pyBool(task.wasCancelled())}`);
    },
  },
  {
    name: 'cancel_before_start',
    cpython: `${tasks} Task.cancel (_must_cancel) then Task.__step: the coroutine never runs`,
    expected: ['done=True, cancelled=True'],
    simulate: async (rt, log) => {
      const task = spawn(rt, 'worker', async () => void log.push('body ran'));
      task.cancel();
      await rt.sleep(1);
      log.push(`done=${pyBool(task.done())}, cancelled=${pyBool(task.wasCancelled())}`);
    },
  },
  {
    name: 'wait_for_hop',
    cpython:
      'CPython 3.11 Lib/asyncio/tasks.py wait_for (ensure_future: a new task, a turn later); 3.12 wait_for (async with timeouts.timeout: inline)',
    expected: { '3.11': ['a', 'b', 'inner started'], '3.12': ['a', 'inner started', 'b'] },
    simulate: async (rt, log, python) => {
      const a = spawn(rt, 'a', async () => {
        log.push('a');
        await rt.waitForOn(python, async () => void log.push('inner started'), 1000);
      });
      const b = spawn(rt, 'b', async () => void log.push('b'));
      await gather([a, b]);
    },
  },
  {
    name: 'wait_for_resume_steps',
    cpython:
      'CPython 3.11 Lib/asyncio/tasks.py wait_for (fut.add_done_callback(_release_waiter): the caller resumes two loop steps after the inner task finished); 3.12 wait_for (inline)',
    expected: {
      '3.11': ['b0', 'inner', 'b1', 'b2', 'a resumed', 'b3', 'b4'],
      '3.12': ['inner', 'a resumed', 'b0', 'b1', 'b2', 'b3', 'b4'],
    },
    simulate: async (rt, log, python) => {
      const a = spawn(rt, 'a', async () => {
        await rt.waitForOn(python, async () => void log.push('inner'), 1000);
        log.push('a resumed');
      });
      const b = spawn(rt, 'b', async () => {
        for (let k = 0; k < 5; k++) {
          log.push(`b${k}`);
          await rt.sleep(0);
        }
      });
      await gather([a, b]);
    },
  },
  {
    name: 'wait_for_timeout_keeps_next_item',
    cpython: `${tasks} wait_for (timeout: _cancel_and_wait) with ${queues} Queue.get (a cancelled getter is skipped)`,
    expected: ['TimeoutError', 'qsize=1', 'got next'],
    simulate: async (rt, log, python) => {
      const q = rt.queue<string>();
      try {
        await rt.waitForOn(python, () => q.get(), 10);
      } catch (error) {
        if (error instanceof TimeoutError) log.push('TimeoutError');
      }
      await q.put('next');
      log.push(`qsize=${q.size()}`);
      log.push(`got ${await q.get()}`);
    },
  },
  {
    name: 'wait_for_timeout_cancels_inner',
    cpython: `${tasks} wait_for (on timeout the awaited coroutine gets CancelledError before TimeoutError is raised)`,
    expected: ['inner CancelledError', 'TimeoutError'],
    simulate: async (rt, log, python) => {
      const inner = async (): Promise<void> => {
        try {
          await rt.sleep(1000);
        } catch (error) {
          if (error instanceof CancelledError) log.push('inner CancelledError');
          throw error;
        }
      };
      try {
        await rt.waitForOn(python, inner, 10);
      } catch (error) {
        if (error instanceof TimeoutError) log.push('TimeoutError');
      }
    },
  },
  {
    name: 'event_wakes_all',
    cpython: `${locks} Event.set (set_result on every waiter) and Event.wait: each waiter resumes in its own later step`,
    expected: ['set', 'a woken', 'b woken'],
    simulate: async (rt, log) => {
      const event = rt.event();
      const waiter = (name: string) => async (): Promise<void> => {
        await event.wait();
        log.push(`${name} woken`);
      };
      const all = [spawn(rt, 'a', waiter('a')), spawn(rt, 'b', waiter('b'))];
      await rt.sleep(0);
      event.set();
      log.push('set');
      await gather(all);
    },
  },
  {
    name: 'queue_fifo',
    cpython: `${queues} Queue._put / Queue._get (deque append / popleft)`,
    expected: ['1', '2', '3'],
    simulate: async (rt, log) => {
      const q = rt.queue<number>();
      for (const item of [1, 2, 3]) await q.put(item);
      for (let k = 0; k < 3; k++) log.push(String(await q.get()));
    },
  },
];
