import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../core/types.ts';
import { decodeDefaultFrame, defaultFrameCodec, frameText } from '../trace/frameCodec.ts';
import type { FrameCodec } from '../trace/frameCodec.ts';
import type { TraceRecord } from '../trace/types.ts';
import { eventIdsOf, readFrame } from './frames.ts';

function wire(frame: JsonValue): TraceRecord {
  return { i: 3, t: 0, conn: 'c1', actor: 'net', action: 'wire', message: 'websocket.send', frame };
}

describe('default frame codec', () => {
  it('finds eventId keys at any depth, in order of appearance, without seq', () => {
    const batch: JsonValue = {
      type: 'event_batch',
      events: [{ payload: { eventId: 'e2' } }, { nested: [{ eventId: 'e3' }] }],
      eventId: 'e1',
    };
    expect(decodeDefaultFrame(batch)?.map((e) => e.eventId)).toEqual(['e2', 'e3', 'e1']);
    expect(decodeDefaultFrame(batch)?.every((e) => e.seq === null)).toBe(true);
    expect(decodeDefaultFrame('plain text')).toEqual([]);
    expect(decodeDefaultFrame({ eventId: 7 })).toEqual([]);
  });

  it("reads the reference's event and batch frames with their seq", () => {
    const one = { kind: 'event', seq: 4, event: { id: 'e1', payload: { eventId: 'e1' } } };
    expect(decodeDefaultFrame(one)).toEqual([{ eventId: 'e1', seq: 4 }]);
    const batch = {
      kind: 'batch',
      events: [
        { seq: 5, event: { payload: { eventId: 'e5' } } },
        { seq: 6, event: { payload: { eventId: 'e6' } } },
      ],
    };
    expect(decodeDefaultFrame(batch)).toEqual([
      { eventId: 'e5', seq: 5 },
      { eventId: 'e6', seq: 6 },
    ]);
    expect(decodeDefaultFrame({ kind: 'ping', nonce: 1 })).toEqual([]);
  });

  it('cannot read a reference-shaped frame without its seq', () => {
    expect(decodeDefaultFrame({ kind: 'event', event: { eventId: 'e1' } })).toBeNull();
    expect(decodeDefaultFrame({ kind: 'batch', events: [{ event: { eventId: 'e1' } }] })).toBeNull();
    expect(decodeDefaultFrame({ kind: 'batch', events: 'e1' })).toBeNull();
  });

  it('answers the same on the text as on the decoded frame', () => {
    const frames: JsonValue[] = [
      { kind: 'event', seq: 2, event: { payload: { eventId: 'e9' } } },
      { kind: 'event', event: {} },
      'hello',
      [1, { eventId: 'x' }],
    ];
    for (const frame of frames)
      expect(defaultFrameCodec(frameText(frame))).toEqual(decodeDefaultFrame(frame));
  });
});

describe('readFrame', () => {
  const custom: FrameCodec = (text) => {
    const m = /^ev (\d+) (\S+)$/.exec(text);
    return m === null ? null : [{ eventId: m[2] as string, seq: Number(m[1]) }];
  };

  it("reads a frame through the design's codec", () => {
    expect(readFrame(wire('ev 3 e7'), custom)).toEqual({ events: [{ eventId: 'e7', seq: 3 }] });
    expect(eventIdsOf(wire('ev 3 e7'), custom)).toEqual(['e7']);
  });

  it('calls a frame unreadable when the codec says null, throws or answers garbage', () => {
    expect(readFrame(wire('hello'), custom)).toEqual({ unreadable: 'the codec cannot read it' });
    const throwing: FrameCodec = () => {
      throw new Error('bad byte');
    };
    expect(readFrame(wire('x'), throwing)).toEqual({ unreadable: 'the codec threw: bad byte' });
    const garbage = (() => [{ id: 'e1' }]) as unknown as FrameCodec;
    expect('unreadable' in readFrame(wire('x'), garbage)).toBe(true);
    expect(eventIdsOf(wire('hello'), custom)).toEqual([]);
  });

  it('gives the codec the JSON text of a JSON frame', () => {
    const seen: string[] = [];
    const spy: FrameCodec = (text) => {
      seen.push(text);
      return [];
    };
    readFrame(wire({ t: 'ev', n: 1 }), spy);
    expect(seen).toEqual(['{"t":"ev","n":1}']);
  });
});
