/**
 * The loop iterations a 3.11 `wait_for(queue.get(), timeout)` takes to time out, counted by
 * a second task that checks the first one's `done()` once per iteration (`sleep(0)`).
 *
 * CPython 3.11 (Lib/asyncio/tasks.py `wait_for`, `_cancel_and_wait`; queues.py `Queue.get`;
 * futures.py `Future.__schedule_callbacks` runs done callbacks with `call_soon`): the deadline
 * handle runs `_release_waiter` (iteration k); the caller wakes and cancels the inner get task
 * (k+1); the inner task gets CancelledError in `Queue.get` and ends (k+2); its done callback
 * releases `_cancel_and_wait`'s waiter (k+3); the caller wakes, raises TimeoutError and ends
 * (k+4). A task started by a handle of the same ms after the deadline's first runs in k+1,
 * after the caller: it sees the caller not done in k+1, k+2 and k+3 and done in k+4.
 */
import { describe, expect, it } from 'vitest';
import { TimeoutError } from './errors.ts';
import { createRig } from './rig.ts';

describe('3.11 wait_for timing out on a queue get', () => {
  it('takes as many +0 ms steps after the deadline as CPython takes loop iterations', async () => {
    const { context, drain } = createRig();
    const { runtime, clock } = context;
    const queue = runtime.queue<string>();
    const log: string[] = [];
    const processor = runtime.spawnTask(
      'processor',
      async () => {
        try {
          await runtime.waitFor(() => queue.get(), 1000);
        } catch (error) {
          if (error instanceof TimeoutError) log.push(`TimeoutError at ${runtime.now()}`);
        }
      },
      null,
      false,
    );
    await drain(0);
    // A handle at the deadline's ms, armed after the deadline: it starts the observer.
    clock.setTimer('observer:start', 1000 - runtime.now(), () => {
      runtime.spawnTask(
        'observer',
        async () => {
          for (let step = 0; step < 10 && !processor.done(); step++) {
            log.push(`processor running (observer step ${step})`);
            await runtime.sleep(0);
          }
          log.push(`processor done at ${runtime.now()}`);
        },
        null,
        false,
      );
    });
    await drain();
    expect(log).toEqual([
      'processor running (observer step 0)',
      'processor running (observer step 1)',
      'processor running (observer step 2)',
      'TimeoutError at 1000',
      'processor done at 1000',
    ]);
  });

  it('an item put while the get times out stays in the queue, taken by nobody', async () => {
    const { context, drain } = createRig();
    const { runtime, clock } = context;
    const queue = runtime.queue<string>();
    const outcome: string[] = [];
    const processor = runtime.spawnTask(
      'processor',
      async () => {
        try {
          outcome.push(await runtime.waitFor(() => queue.get(), 1000));
        } catch (error) {
          if (error instanceof TimeoutError) outcome.push('TimeoutError');
        }
      },
      null,
      false,
    );
    await drain(0);
    clock.setTimer('producer:start', 1000 - runtime.now(), () => {
      runtime.spawnTask(
        'producer',
        async () => {
          await queue.put('item');
          outcome.push(`put; processor done: ${String(processor.done())}`);
        },
        null,
        false,
      );
    });
    await drain();
    expect(outcome).toEqual(['put; processor done: false', 'TimeoutError']);
    expect(queue.size()).toBe(1);
  });

  // CPython's call_later handle only sets the sleep's future; the task's __wakeup runs one
  // iteration later. A producer whose sleep ends at the deadline's ms, armed before the
  // deadline, puts in iteration k+1, with the caller's wakeup: the old get is being
  // cancelled and the item is stranded. (Resumed inside its timer step, it would put before
  // the timeout starts and the old get would take the item.)
  it('a producer sleeping until the deadline, armed before it, strands its item as in CPython', async () => {
    const { context, drain } = createRig();
    const { runtime } = context;
    const queue = runtime.queue<string>();
    const outcome: string[] = [];
    runtime.spawnTask(
      'producer',
      async () => {
        await runtime.sleep(1000);
        await queue.put('item');
      },
      null,
      false,
    );
    runtime.spawnTask(
      'processor',
      async () => {
        try {
          outcome.push(await runtime.waitFor(() => queue.get(), 1000));
        } catch (error) {
          if (error instanceof TimeoutError) outcome.push('TimeoutError');
        }
      },
      null,
      false,
    );
    await drain();
    expect(outcome).toEqual(['TimeoutError']);
    expect(queue.size()).toBe(1);
  });
});
