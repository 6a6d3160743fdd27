import { describe, expectTypeOf, it } from 'vitest';
import { assertNever } from '../core/assertNever.ts';
import type { JsonValue } from '../core/types.ts';
import type { NetWire, TraceDraft, TraceEntry, TraceKind, WorkloadEmit } from './entry.ts';
import type { TraceRecord } from './types.ts';

declare const write: (draft: TraceDraft) => void;
declare const entry: TraceEntry;

describe('TraceEntry', () => {
  it('refuses a wrong field at compile time', () => {
    // @ts-expect-error a net/wire without its message
    write({ conn: 'c1', actor: 'net', action: 'wire', frame: 'x' });
    write({
      conn: 'c1',
      actor: 'workload',
      action: 'emit',
      // @ts-expect-error detail.text of a workload/emit is a string
      detail: { eventId: 'e1', type: 't', critical: true, text: 3 },
    });
    write({
      conn: 'c1',
      actor: 'workload',
      action: 'emit',
      // @ts-expect-error a key workload/emit does not have
      detail: { eventId: 'e1', type: 't', critical: true, seq: 1 },
    });
    // @ts-expect-error not an action
    write({ conn: 'c1', actor: 'net', action: 'teleport' });
    // @ts-expect-error an action of another actor
    write({ conn: 'c1', actor: 'client', action: 'wire', message: 'websocket.send' });
    // @ts-expect-error a frame on an entry kind that has none
    write({ conn: null, actor: 'harness', action: 'settled', detail: { phases: {} }, frame: 1 });
    write({ conn: 'c1', actor: 'net', action: 'wire', message: 'websocket.send', frame: { a: [1] } });
    write({
      conn: 'c1',
      actor: 'workload',
      action: 'emit',
      detail: { eventId: 'e1', type: 't', critical: true },
    });
  });

  it('narrows on actor and action', () => {
    if (entry.actor === 'net' && entry.action === 'wire') {
      expectTypeOf(entry).toEqualTypeOf<NetWire>();
      expectTypeOf(entry.frame).toEqualTypeOf<JsonValue | undefined>();
    }
    if (entry.actor === 'workload' && entry.action === 'emit') {
      expectTypeOf(entry).toEqualTypeOf<WorkloadEmit>();
      expectTypeOf(entry.detail.eventId).toEqualTypeOf<string>();
      expectTypeOf(entry.detail.text).toEqualTypeOf<string | undefined>();
    }
    if (entry.actor === 'design' && entry.action === 'outcome' && entry.detail.outcome.kind === 'delivered') {
      expectTypeOf(entry.detail.outcome.seq).toEqualTypeOf<number>();
    }
  });

  it('every member is a TraceRecord, the read view', () => {
    expectTypeOf<TraceEntry>().toExtend<TraceRecord>();
    expectTypeOf<`${TraceEntry['actor']}/${string}`>().toExtend<`${TraceRecord['actor']}/${string}`>();
  });

  it('a switch over the kinds of one actor missing a case does not compile against assertNever', () => {
    const label = (e: Extract<TraceEntry, { actor: 'harness' }>): string => {
      switch (e.action) {
        case 'settled':
        case 'unsettled':
        case 'timersPending':
          return e.action;
        // 'log' is missing on purpose
        default:
          // @ts-expect-error e is harness/log, not never
          return assertNever(e);
      }
    };
    expectTypeOf(label).returns.toEqualTypeOf<string>();
  });

  it('names each kind actor/action', () => {
    expectTypeOf<'net/wire'>().toExtend<TraceKind>();
    expectTypeOf<'net/teleport'>().not.toExtend<TraceKind>();
  });
});
