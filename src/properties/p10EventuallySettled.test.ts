import { describe, expect, it } from 'vitest';
import { p10EventuallySettled } from './p10EventuallySettled.ts';
import { contextFor, TraceBuilder } from './traceBuilder.ts';

const ctx = contextFor('handler', { phaseAliases: { PROCESSING_READY: 'ready', CONNECTING: 'connecting' } });

describe('P10 eventually-settled', () => {
  it('holds when the run settles with every connection ready or closed (aliases applied)', () => {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.settled({ c1: 'PROCESSING_READY', c2: 'closed' });
    const verdict = p10EventuallySettled.check(b.run(), ctx);
    expect(verdict.status).toBe('held');
    expect(verdict.exercised).toBe(1);
  });

  it("is violated by unsettled, with the harness's reason", () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    const stuck = b.at(10_400).unsettled('c1 stuck in CONNECTING');
    const verdict = p10EventuallySettled.check(b.run(), ctx);
    expect(verdict.steps).toEqual([stuck]);
    expect(verdict.message).toBe('unsettled: c1 stuck in CONNECTING (t=10400ms)');
  });

  it('is violated by a connection settled in another phase, and by pending timers', () => {
    const stuck = new TraceBuilder();
    const settled = stuck.settled({ c1: 'CONNECTING' });
    expect(p10EventuallySettled.check(stuck.run(), ctx).steps).toEqual([settled]);
    const timers = new TraceBuilder();
    timers.settled({ c1: 'closed' });
    const pending = timers.timersPending(['heartbeat']);
    const verdict = p10EventuallySettled.check(timers.run(), ctx);
    expect(verdict.steps).toEqual([pending]);
    expect(verdict.message).toContain('heartbeat');
  });

  it('is violated by a trace with no harness verdict (always exercised)', () => {
    const b = new TraceBuilder();
    b.open('c1', 'u1');
    const verdict = p10EventuallySettled.check(b.run(), ctx);
    expect(verdict.status).toBe('violated');
    expect(verdict.exercised).toBe(1);
  });

  it('is violated by timers pending on one closed connection, naming it', () => {
    const b = new TraceBuilder();
    b.settled({ c1: 'closed', c2: 'ready' });
    const pending = b.entry('c1', 'harness', 'timersPending', {
      detail: { count: 1, names: ['core:c1:heartbeat'] },
    });
    const verdict = p10EventuallySettled.check(b.run(), contextFor('reducer'));
    expect(verdict.steps).toEqual([pending]);
    expect(verdict.message).toBe('c1: 1 timer(s) pending after it closed: core:c1:heartbeat (t=0ms)');
  });
});

describe('P10: handler lifetimes in real traces', () => {
  const handler = contextFor('handler');
  /** c1's handler starts, its client leaves at 100 ms; `then` adds what happens after. */
  function session(then: (b: TraceBuilder) => void): ReturnType<TraceBuilder['run']> {
    const b = new TraceBuilder();
    b.ready('c1', 'u1');
    b.entry('c1', 'app', 'handlerStarted');
    b.at(100).entry('c1', 'client', 'abrupt');
    then(b);
    return b.run();
  }

  it('holds when the handler ends within the bound after its connection closed', () => {
    const run = session((b) => {
      b.at(200).entry('c1', 'app', 'handlerReturned');
      b.at(20_000).entry('c2', 'workload', 'open', { detail: { userId: 'u2' } });
    });
    const verdict = p10EventuallySettled.check(run, handler);
    expect(verdict.status).toBe('held');
    expect(verdict.exercised).toBe(1);
  });

  it('is violated by a handler still running, or still sending, long after its connection closed', () => {
    const running = session((b) =>
      b.at(20_000).entry('c2', 'workload', 'open', { detail: { userId: 'u2' } }),
    );
    expect(p10EventuallySettled.check(running, handler).message).toBe(
      'c1: its handler still ran at the end of the trace, 19900 ms after its connection closed (bound 15000 ms) (t=100ms)',
    );
    const sending = session((b) => {
      b.at(17_000).send('c1', { n: 1 });
      b.at(20_000).entry('c2', 'workload', 'open', { detail: { userId: 'u2' } });
    });
    expect(p10EventuallySettled.check(sending, handler).message).toContain(
      'c1: its handler still sends 16900 ms after its connection closed',
    );
  });

  it('is not exercised when the trace ends before the bound', () => {
    const run = session((b) => b.at(300).entry('c2', 'workload', 'open', { detail: { userId: 'u2' } }));
    expect(p10EventuallySettled.check(run, handler).status).toBe('not-exercised');
  });
});
