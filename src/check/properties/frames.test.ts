import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../core/types.ts';
import { eventIdsInFrame, seqsOfFrame } from './frames.ts';

describe('frames', () => {
  it('finds eventId keys at any depth, in order of appearance', () => {
    const batch: JsonValue = {
      type: 'event_batch',
      events: [{ payload: { eventId: 'e2' } }, { nested: [{ eventId: 'e3' }] }],
      eventId: 'e1',
    };
    expect(eventIdsInFrame(batch)).toEqual(['e2', 'e3', 'e1']);
    expect(eventIdsInFrame('plain text')).toEqual([]);
    expect(eventIdsInFrame({ eventId: 7 })).toEqual([]);
  });

  it('reads seq from event and batch frames only', () => {
    expect(seqsOfFrame({ kind: 'event', seq: 4, event: {} })).toEqual([4]);
    expect(seqsOfFrame({ kind: 'batch', events: [{ seq: 5 }, { seq: 6 }] })).toEqual([5, 6]);
    expect(seqsOfFrame({ kind: 'ping', nonce: 1 })).toBeNull();
    expect(seqsOfFrame({ type: 'event', seq: 1 })).toBeNull();
  });
});
