import { describe, expect, it } from 'vitest';
import { emptyBuffer, offerEvent, takeOldest, type EventBuffer } from './buffer.ts';
import { criticalEventTypes } from './state.ts';

const critical = (type: string): boolean => criticalEventTypes.includes(type);

/** Offers events `spec` (type per id) in order, returning the buffer and all settled outcomes. */
function fill(types: readonly string[], capacity: number, start: EventBuffer = emptyBuffer()) {
  let buffer = start;
  const settled: { eventId: string; kind: string }[] = [];
  types.forEach((type, index) => {
    const result = offerEvent(buffer, { id: `e${index}`, type }, critical(type), capacity);
    buffer = result.buffer;
    for (const s of result.settled) settled.push({ eventId: s.eventId, kind: s.outcome.kind });
  });
  return { buffer, settled, ids: buffer.items.map((item) => item.event.id) };
}

describe('bounded buffer (SPEC section 5)', () => {
  it('appends while there is room, oldest first', () => {
    const { ids, settled } = fill(['agent_thinking', 'agent_started', 'x'], 3);
    expect(ids).toEqual(['e0', 'e1', 'e2']);
    expect(settled).toEqual([]);
  });

  it('on overflow drops exactly the oldest non-critical event and appends the newcomer', () => {
    const { ids, settled } = fill(
      ['agent_thinking', 'agent_thinking', 'agent_thinking', 'agent_completed'],
      3,
    );
    expect(settled).toEqual([{ eventId: 'e0', kind: 'dropped' }]);
    expect(ids).toEqual(['e1', 'e2', 'e3']);
  });

  it('seed 000 bug 1: critical head with non-critical events behind it drops the first non-critical, not refuses', () => {
    const { ids, settled } = fill(['agent_started', 'agent_thinking', 'agent_thinking', 'agent_thinking'], 3);
    expect(settled).toEqual([{ eventId: 'e1', kind: 'dropped' }]);
    expect(ids).toEqual(['e0', 'e2', 'e3']);
  });

  it('seed 000 bug 2: several non-critical events at the head lose exactly one', () => {
    const { ids, settled } = fill(['a', 'b', 'c', 'd', 'agent_started'], 4);
    expect(settled.filter((s) => s.kind === 'dropped')).toHaveLength(1);
    expect(ids).toEqual(['e1', 'e2', 'e3', 'e4']);
  });

  it('all critical and a non-critical newcomer: the newcomer is refused, the buffer unchanged', () => {
    const full = fill(['agent_started', 'tool_executing'], 2);
    const result = offerEvent(full.buffer, { id: 'n', type: 'agent_thinking' }, false, 2);
    expect(result.settled).toEqual([{ eventId: 'n', outcome: { kind: 'refused', reason: 'backpressure' } }]);
    expect(result.buffer).toBe(full.buffer);
  });

  it('all critical and a critical newcomer: refused too, never a critical drop', () => {
    const full = fill(['agent_started', 'tool_executing'], 2);
    const result = offerEvent(full.buffer, { id: 'n', type: 'agent_completed' }, true, 2);
    expect(result.settled).toEqual([{ eventId: 'n', outcome: { kind: 'refused', reason: 'backpressure' } }]);
    expect(result.buffer.items.map((i) => i.event.id)).toEqual(['e0', 'e1']);
  });

  it('a critical newcomer may evict a non-critical event, and the critical count follows', () => {
    const { buffer, settled } = fill(['agent_thinking', 'agent_started', 'agent_completed'], 2);
    expect(settled).toEqual([{ eventId: 'e0', kind: 'dropped' }]);
    expect(buffer.criticalCount).toBe(2);
    expect(buffer.items.every((i) => i.critical)).toBe(true);
  });

  it('never holds more than its capacity, and never drops a critical event', () => {
    const types = [
      'agent_started',
      'a',
      'tool_executing',
      'b',
      'c',
      'tool_completed',
      'd',
      'agent_completed',
    ];
    for (let capacity = 1; capacity <= 4; capacity++) {
      const { buffer, settled } = fill([...types, ...types], capacity);
      expect(buffer.items.length).toBeLessThanOrEqual(capacity);
      const droppedIds = settled.filter((s) => s.kind === 'dropped').map((s) => s.eventId);
      const allTypes = [...types, ...types];
      for (const id of droppedIds) expect(critical(allTypes[Number(id.slice(1))] ?? '')).toBe(false);
    }
  });

  it('takeOldest removes from the head and keeps the critical count', () => {
    const { buffer } = fill(['agent_started', 'a'], 2);
    const taken = takeOldest(buffer);
    expect(taken?.item.event.id).toBe('e0');
    expect(taken?.rest.criticalCount).toBe(0);
    expect(takeOldest(emptyBuffer())).toBeNull();
  });
});
