/**
 * Rows of the runtime conformance table for asyncio's Lock, Event and Queue (see
 * runtimeRows.ts for the table and rowKit.ts for the helpers).
 */
import { gather, locks, logCancel, pyBool, queues, spawn, type RuntimeRow } from './rowKit.ts';

/** The Lock, Event and Queue rows. */
export const syncRows: readonly RuntimeRow[] = [
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
