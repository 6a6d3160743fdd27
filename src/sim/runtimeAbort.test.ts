/**
 * The runtime once a run is aborted: every wait hangs, so a design's loop stops where it
 * is instead of spinning on after the run (a worker whose event loop never turns again).
 */
import { describe, expect, it } from 'vitest';
import { createRig } from './rig.ts';
import type { PythonVersion } from './types.ts';

/** Lets `turns` microtask turns pass. */
async function turns(count: number): Promise<void> {
  for (let k = 0; k < count; k++) await null;
}

describe('Runtime after an abort', () => {
  for (const python of ['3.11', '3.12'] as const satisfies readonly PythonVersion[]) {
    it(`a wait_for(queue.get()) / put loop on a non-empty queue is stopped by the livelock abort (${python})`, async () => {
      const { context, drain } = createRig();
      const { runtime, clock } = context;
      const rt = runtime.withPython(python);
      const queue = rt.queue<number>();
      let iterations = 0;
      // seed 000 §2.1.B `_process_events` re-queueing an event it cannot send. Bounded, so
      // that a runtime which lets it spin on fails this test instead of hanging it.
      runtime.spawnTask(
        'requeue',
        async () => {
          await queue.put(0);
          while (iterations < 400_000) {
            const item = await rt.waitFor(() => queue.get(), 1000);
            iterations += 1;
            await queue.put(item + 1);
          }
        },
        null,
        false,
      );
      await drain();
      // Time never left 0 ms (the rig's drain fires what is left after the abort, so its
      // clock is not read here).
      expect(clock.aborted()).toMatch(/^livelock: .* at 0 ms/);
      const atAbort = iterations;
      expect(atAbort).toBeGreaterThan(0);
      await turns(5000);
      // At most the iteration under way when the abort came finishes.
      expect(iterations - atAbort).toBeLessThanOrEqual(1);
    });
  }

  it('names the task, and its connection, whose loop kept the microtask queue busy', async () => {
    const { context, drain } = createRig();
    const { runtime, clock } = context;
    const rt = runtime.withPython('3.12');
    const queue = runtime.queue<number>();
    queue.putNowait(0);
    runtime.spawnTask(
      'seed000.process_events',
      async () => {
        for (let k = 0; k < 400_000; k++) await queue.put(await rt.waitFor(() => queue.get(), 1000));
      },
      'c7',
      false,
    );
    await drain();
    expect(clock.aborted()).toMatch(
      /^livelock: task seed000\.process_events of c7 kept the microtask queue busy at 0 ms /,
    );
  });

  it('every wait that asyncio completes without suspending hangs once the run aborted', async () => {
    const { context, drain } = createRig();
    const { runtime, clock } = context;
    const settled: string[] = [];
    runtime.spawnTask(
      'main',
      async () => {
        const lock = runtime.lock();
        const event = runtime.event();
        event.set();
        const queue = runtime.queue<number>();
        queue.putNowait(1);
        clock.abort('test abort');
        const waits: Record<string, Promise<unknown>> = {
          'lock.acquire (free)': lock.run(async () => undefined),
          'event.wait (set)': event.wait(),
          'queue.get (non-empty)': queue.get(),
          'queue.put (unbounded)': queue.put(2),
          'wait_for 3.11': runtime.waitForOn('3.11', async () => 1, 1000),
          'wait_for 3.12': runtime.waitForOn('3.12', async () => 1, 1000),
          sleep: runtime.sleep(0),
        };
        for (const [name, wait] of Object.entries(waits))
          void wait.then(
            () => settled.push(name),
            () => settled.push(name),
          );
        await turns(1000);
      },
      null,
      false,
    );
    await drain();
    await turns(1000);
    expect(settled).toEqual([]);
  });
});
