/**
 * The runtime conformance table: scripted asyncio sequences, each with the CPython source
 * it copies, the steps real asyncio prints (src/sim/conformance/python/asyncio_rows.py, one
 * function per row, same name) and the same sequence written against the simulated runtime.
 * runtime.test.ts runs every row on the simulation and, where /usr/bin/python3 exists, the
 * Python script, and compares both with `expected`.
 */
import { CancelledError, TimeoutError } from '../errors.ts';
import { gather, pyBool, queues, spawn, tasks, type RuntimeRow } from './rowKit.ts';
import { syncRows } from './syncRows.ts';

export { expectedOn, type RuntimeRow } from './rowKit.ts';

/** Every row of the runtime table: tasks, sleep and wait_for here, then syncRows.ts. */
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
    name: 'wait_for_requeue_never_yields',
    cpython:
      'CPython 3.11 Lib/asyncio/tasks.py wait_for (a new task and a waiter future: every call yields); 3.12 wait_for (async with timeouts.timeout: inline) over Lib/asyncio/queues.py Queue.get and Queue.put, which do not suspend on a non-empty unbounded queue: on 3.12 a get/put loop never yields to the event loop',
    expected: {
      '3.11': [
        'sibling0',
        'sibling1',
        'sibling2',
        'sibling3',
        'requeue0',
        'sibling4',
        'sibling5',
        'sibling6',
        'requeue1',
        'sibling7',
        'requeue2',
        'requeue3',
      ],
      '3.12': [
        'sibling0',
        'requeue0',
        'requeue1',
        'requeue2',
        'requeue3',
        'sibling1',
        'sibling2',
        'sibling3',
        'sibling4',
        'sibling5',
        'sibling6',
        'sibling7',
      ],
    },
    // seed 000 §2.1.B `_process_events` re-queueing an event it could not send, bounded here.
    simulate: async (rt, log, python) => {
      const q = rt.queue<number>();
      q.putNowait(0);
      const sibling = spawn(rt, 'sibling', async () => {
        for (let k = 0; k < 8; k++) {
          log.push(`sibling${k}`);
          await rt.sleep(0);
        }
      });
      const requeue = spawn(rt, 'requeue', async () => {
        for (let k = 0; k < 4; k++) {
          const item = await rt.waitForOn(python, () => q.get(), 1000);
          log.push(`requeue${k}`);
          await q.put(item + 1);
        }
      });
      await gather([sibling, requeue]);
    },
  },
  {
    name: 'wait_for_zero_timeout',
    cpython: `${tasks} wait_for (timeout <= 0: ensure_future, then _cancel_and_wait unless already done: the coroutine never starts), the same in 3.12`,
    expected: ['TimeoutError', 'qsize=1'],
    simulate: async (rt, log, python) => {
      const q = rt.queue<string>();
      q.putNowait('item');
      const inner = async (): Promise<string> => {
        log.push('inner started');
        return q.get();
      };
      try {
        log.push(`got ${await rt.waitForOn(python, inner, 0)}`);
      } catch (error) {
        if (error instanceof TimeoutError) log.push('TimeoutError');
      }
      log.push(`qsize=${q.size()}`);
    },
  },
  ...syncRows,
];
