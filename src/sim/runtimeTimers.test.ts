/**
 * Runtime timers carry the connection of the task that armed them (`sleep:<conn>`,
 * `wait_for:<conn>`), so P10 charges a deadline left pending to its connection: a task
 * spawned by a connection's task belongs to it, and so does the coroutine a `wait_for` runs,
 * whichever Python version (3.11 runs it as a task of its own, 3.12 inline).
 */
import { describe, expect, it } from 'vitest';
import { createRig } from './rig.ts';

describe('runtime timer names', () => {
  for (const python of ['3.11', '3.12'] as const) {
    it(`a sleep inside wait_for's coroutine and the deadline are the connection's (${python})`, async () => {
      const { context, drain } = createRig();
      const { runtime, clock } = context;
      runtime.spawnTask(
        'handle:c1',
        () => runtime.waitForOn(python, () => runtime.sleep(500), 1000),
        'c1',
        false,
      );
      await drain(100);
      expect(clock.pendingNames()).toEqual(['sleep:c1', 'wait_for:c1']);
    });
  }

  it("a task spawned by a connection's task arms its sleep for that connection", async () => {
    const { context, drain } = createRig();
    const { runtime, clock } = context;
    runtime.spawnTask(
      'handle:c2',
      async () => void runtime.spawn('heartbeat', () => runtime.sleep(30_000)),
      'c2',
      false,
    );
    runtime.spawnTask('harness', () => runtime.sleep(40_000), null, false);
    await drain(100);
    expect(clock.pendingNames()).toEqual(['sleep', 'sleep:c2']);
  });
});
