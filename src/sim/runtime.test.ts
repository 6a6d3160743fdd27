import { describe, expect, it } from 'vitest';
import { CancelledError, TimeoutError } from './errors.ts';
import { createRig } from './rig.ts';
import { zeroKnobs } from './profiles.ts';

describe('Runtime (asyncio on simulated time)', () => {
  it('sleep resumes at now + ms of simulated time', async () => {
    const { context, drain } = createRig();
    const times: number[] = [];
    void (async () => {
      await context.runtime.sleep(30);
      times.push(context.runtime.now());
      await context.runtime.sleep(12);
      times.push(context.runtime.now());
    })();
    await drain();
    expect(times).toEqual([30, 42]);
  });

  it('spawn starts the task on a later turn, never synchronously, in creation order', async () => {
    const { context, drain } = createRig();
    const order: string[] = [];
    context.runtime.spawn('a', async () => void order.push('a'));
    context.runtime.spawn('b', async () => void order.push('b'));
    order.push('caller');
    expect(order).toEqual(['caller']);
    await drain();
    expect(order).toEqual(['caller', 'a', 'b']);
    expect(context.runtime.now()).toBe(0);
  });

  it('a chosen hop defers a task behind later same-time tasks (interleaving as data)', async () => {
    // First spawn reads hop choice 2, the second reads 0: b overtakes a, both at 0 ms.
    const { context, drain } = createRig(zeroKnobs, [2, 0]);
    const order: string[] = [];
    context.runtime.spawn('a', async () => void order.push('a'));
    context.runtime.spawn('b', async () => void order.push('b'));
    await drain();
    expect(order).toEqual(['b', 'a']);
    expect(context.runtime.now()).toBe(0);
  });

  it('waitFor returns the value when fn finishes in time', async () => {
    const { context, drain } = createRig();
    const result = context.runtime.waitFor(async () => {
      await context.runtime.sleep(10);
      return 7;
    }, 50);
    await drain();
    await expect(result).resolves.toBe(7);
  });

  it('waitFor raises TimeoutError at the deadline and cancels the inner task', async () => {
    const { context, drain } = createRig();
    let failedAt = -1;
    const result = context.runtime
      .waitFor(async () => {
        await context.runtime.sleep(100);
        return 1;
      }, 40)
      .catch((error: unknown) => {
        failedAt = context.runtime.now();
        throw error;
      });
    result.catch(() => undefined);
    await drain();
    await expect(result).rejects.toBeInstanceOf(TimeoutError);
    expect(failedAt).toBe(40);
    const inner = context.runtime.tasks.find((task) => task.name === 'wait_for');
    expect(inner?.wasCancelled()).toBe(true);
    await expect(inner?.result).rejects.toBeInstanceOf(CancelledError);
  });

  it('a task cancelled before it starts never runs', async () => {
    const { context, drain } = createRig();
    let ran = false;
    const task = context.runtime.spawn('never', async () => {
      ran = true;
    });
    task.cancel();
    await drain();
    expect(ran).toBe(false);
    expect(task.done()).toBe(true);
  });

  it('lock serialises critical sections in FIFO order', async () => {
    const { context, drain } = createRig();
    const lock = context.runtime.lock();
    const log: string[] = [];
    const section = (name: string, ms: number) =>
      lock.run(async () => {
        log.push(`${name}+${context.runtime.now()}`);
        await context.runtime.sleep(ms);
        log.push(`${name}-${context.runtime.now()}`);
      });
    void section('a', 10);
    void section('b', 5);
    void section('c', 1);
    expect(lock.locked()).toBe(true);
    await drain();
    expect(log).toEqual(['a+0', 'a-10', 'b+10', 'b-15', 'c+15', 'c-16']);
    expect(lock.locked()).toBe(false);
  });

  it('a lock waiter wakes on a later turn: the releasing task runs on to its next await first', async () => {
    const { context, drain } = createRig();
    const lock = context.runtime.lock();
    const log: string[] = [];
    void (async () => {
      await lock.run(async () => {
        await context.runtime.sleep(5);
      });
      log.push('releaser after the lock'); // asyncio: no await between release and here
      await context.runtime.sleep(0);
      log.push('releaser after its next await');
    })();
    void lock.run(async () => void log.push('waiter in the lock'));
    await drain();
    expect(log).toEqual(['releaser after the lock', 'waiter in the lock', 'releaser after its next await']);
  });

  it('event wakes every waiter once set; queue is FIFO and counts its size', async () => {
    const { context, drain } = createRig();
    const event = context.runtime.event();
    const queue = context.runtime.queue<number>();
    const woken: number[] = [];
    void event.wait().then(() => woken.push(context.runtime.now()));
    void event.wait().then(() => woken.push(context.runtime.now()));
    context.runtime.spawn('setter', async () => {
      await context.runtime.sleep(5);
      event.set();
    });
    await queue.put(1);
    await queue.put(2);
    expect(queue.size()).toBe(2);
    const got: number[] = [await queue.get(), await queue.get()];
    const late = queue.get();
    await queue.put(3);
    got.push(await late);
    await drain();
    expect(woken).toEqual([5, 5]);
    expect(event.isSet()).toBe(true);
    expect(got).toEqual([1, 2, 3]);
    expect(queue.size()).toBe(0);
  });

  it('a getter cancelled by wait_for does not swallow the next item (CancelledError at its await)', async () => {
    const { context, drain } = createRig();
    const queue = context.runtime.queue<string>();
    let innerError: unknown = null;
    const timedOut = context.runtime
      .waitFor(async () => {
        try {
          return await queue.get();
        } catch (error) {
          innerError = error;
          throw error;
        }
      }, 10)
      .catch((error: unknown) => error);
    await drain();
    expect(await timedOut).toBeInstanceOf(TimeoutError);
    expect(innerError).toBeInstanceOf(CancelledError);
    await queue.put('next');
    expect(queue.size()).toBe(1);
    await expect(queue.get()).resolves.toBe('next');
  });

  it('an accept cancelled by wait_for leaves the websocket.connect for the next receive', async () => {
    const rig = createRig({ ...zeroKnobs, handshakeDelayMsMax: 50 }, [50]);
    const conn = rig.server.open('c1', 'u1');
    if (conn === null) throw new Error('open failed');
    const accept = rig.context.runtime
      .waitFor(() => conn.socket.accept(), 20)
      .catch((error: unknown) => error);
    await rig.drain();
    expect(await accept).toBeInstanceOf(TimeoutError);
    expect(conn.socket.clientState).toBe('CONNECTING');
    const received = conn.socket.receive();
    await rig.drain();
    await expect(received).resolves.toEqual({ type: 'websocket.connect' });
  });

  it('a task cancelled during a socket write gets CancelledError there; the frame still goes out', async () => {
    const rig = createRig();
    const conn = rig.server.open('c1', 'u1');
    if (conn === null) throw new Error('open failed');
    const accepting = conn.socket.accept();
    await rig.drain();
    await accepting;
    let raised: unknown = null;
    const writer = rig.context.runtime.spawnTask(
      'writer',
      async () => {
        try {
          await conn.socket.sendText('x');
        } catch (error) {
          raised = error;
        }
      },
      'c1',
      false,
    );
    // The writer's start step runs its sendText; cancel it while the write is pending.
    await rig.drain(-1);
    rig.context.clock.fireNext();
    await rig.context.clock.quiesce();
    expect(writer.waitingOn).not.toBeNull();
    writer.cancel();
    await rig.drain();
    expect(raised).toBeInstanceOf(CancelledError);
    const wired = rig.context.trace.entries.filter(
      (e) => e.action === 'wire' && e.message === 'websocket.send',
    );
    expect(wired).toHaveLength(1);
  });

  it('a task that cancels itself gets CancelledError at its next runtime await (mustCancel)', async () => {
    const { context, drain } = createRig();
    const log: string[] = [];
    const task = context.runtime.spawnTask(
      'worker',
      async () => {
        context.runtime.running()?.cancel();
        log.push(`mustCancel=${String(context.runtime.running()?.mustCancel)}`);
        try {
          await context.runtime.sleep(1000);
          log.push('slept');
        } catch (error) {
          if (error instanceof CancelledError) log.push(`CancelledError at ${context.runtime.now()}`);
        }
      },
      null,
      false,
    );
    await drain();
    expect(log).toEqual(['mustCancel=true', 'CancelledError at 0']);
    expect(task.wasCancelled()).toBe(false);
    expect(context.clock.pendingCount()).toBe(0);
  });

  it('3.12 wait_for runs fn inline and raises TimeoutError in the caller, which then goes on', async () => {
    const { context, drain } = createRig();
    const log: string[] = [];
    const py312 = context.runtime.withPython('3.12');
    expect(py312.python).toBe('3.12');
    context.runtime.spawnTask(
      'caller',
      async () => {
        try {
          await py312.waitFor(() => context.runtime.sleep(100), 10);
        } catch (error) {
          if (error instanceof TimeoutError) log.push(`TimeoutError at ${context.runtime.now()}`);
        }
        await context.runtime.sleep(5);
        log.push(`went on at ${context.runtime.now()}`);
      },
      null,
      false,
    );
    await drain();
    expect(log).toEqual(['TimeoutError at 10', 'went on at 15']);
    expect(context.runtime.tasks.map((t) => t.name)).toEqual(['caller']);
  });
});
