import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimClock } from './simClock.ts';

describe('SimClock timers', () => {
  it('fires by due time, FIFO among timers due at the same ms', () => {
    const clock = new SimClock();
    const fired: string[] = [];
    clock.setTimer('b', 5, () => fired.push(`b@${clock.now()}`));
    clock.setTimer('a', 2, () => fired.push(`a@${clock.now()}`));
    clock.setTimer('c', 5, () => fired.push(`c@${clock.now()}`));
    while (clock.pendingCount() > 0) clock.fireNext();
    expect(fired).toEqual(['a@2', 'b@5', 'c@5']);
  });

  it('keeps setTimeout delay rules: non-finite is 0, past 2^31 - 1 is 1', () => {
    const clock = new SimClock();
    clock.setTimer('nan', Number.NaN, () => {});
    clock.setTimer('huge', 2 ** 31, () => {});
    clock.setTimer('negative', -5, () => {});
    expect(clock.nextDue()).toBe(0);
    clock.fireNext();
    clock.fireNext();
    expect(clock.now()).toBe(0);
    clock.fireNext();
    expect(clock.now()).toBe(1);
  });

  it('a cleared timer never fires and is not due', () => {
    const clock = new SimClock();
    const fired: string[] = [];
    const early = clock.setTimer('early', 1, () => fired.push('early'));
    clock.setTimer('late', 9, () => fired.push('late'));
    clock.clearTimer(early);
    clock.clearTimer(early);
    expect(clock.nextDue()).toBe(9);
    expect(clock.nextName()).toBe('late');
    expect(clock.pendingNames()).toEqual(['late']);
    clock.fireNext();
    expect(fired).toEqual(['late']);
    expect(clock.pendingCount()).toBe(0);
    expect(clock.nextName()).toBeNull();
  });

  it('matches a sorted list under any mix of sets, clears and firings', () => {
    type Op =
      | { readonly kind: 'set'; readonly ms: number }
      | { readonly kind: 'clear'; readonly pick: number }
      | { readonly kind: 'fire' };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), ms: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('clear' as const), pick: fc.nat() }),
      fc.constant({ kind: 'fire' as const }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const clock = new SimClock();
        const fired: number[] = [];
        // The model: live timers as [callAt, creation order], fired smallest first.
        let model: [number, number][] = [];
        const modelFired: number[] = [];
        const ids: number[] = [];
        let created = 0;
        for (const o of ops) {
          if (o.kind === 'set') {
            const order = created++;
            ids.push(clock.setTimer(`t${order}`, o.ms, () => fired.push(order)));
            model.push([clock.now() + o.ms, order]);
          } else if (o.kind === 'clear' && ids.length > 0) {
            const order = o.pick % ids.length;
            clock.clearTimer(ids[order] as number);
            model = model.filter(([, m]) => m !== order);
          } else if (o.kind === 'fire') {
            clock.fireNext();
            model.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
            const next = model.shift();
            if (next !== undefined) modelFired.push(next[1]);
          }
          expect(clock.pendingCount()).toBe(model.length);
        }
        expect(fired).toEqual(modelFired);
      }),
    );
  });
});

describe('SimClock sync timers', () => {
  it('says whether the timer fired last was a sync one', () => {
    const clock = new SimClock();
    clock.setSyncTimer('hop', 1, () => {});
    clock.setTimer('deliver', 2, () => {});
    clock.fireNext();
    expect(clock.firedSync()).toBe(true);
    clock.fireNext();
    expect(clock.firedSync()).toBe(false);
  });
});
