/**
 * The slow-reader rows of writeRows.ts (measured on real uvicorn 0.17.6 over websockets 10.4
 * by uvicornWrite.test.ts) on the simulated transport: the same observations, with the high-
 * water mark in frames (`writeBufferFrames` 15: fifteen 4100-byte frames fit below
 * websockets' 64 KiB `write_limit`) and a reader that stalls for 300 ms from the first data
 * frame (the burst is sent at one instant, so the transport pauses at once).
 * Where the simulated Starlette differs from 0.26.1 on purpose (a failed write raises
 * WebSocketDisconnect(1006), SPEC section 3), the row says so.
 */
import { describe, expect, it } from 'vitest';
import { WebSocketDisconnect } from '../errors.ts';
import { zeroKnobs } from '../profiles.ts';
import { createRig, type Rig } from '../rig.ts';
import type { SimConnection } from '../server.ts';
import type {} from '../types.ts';
import type { TraceRecord } from '../../trace/types.ts';
import { uvicornWriteRows } from './writeRows.ts';

const mark = 15;
const stallMs = 300;

interface Row {
  readonly rig: Rig;
  readonly conn: SimConnection;
  /** Simulated ms at which the stalled reader resumed, null before. */
  resumedAt: number | null;
}

/** An accepted connection whose reader stalls `stallMs` from the first data frame (or never). */
async function connection(stall: boolean): Promise<Row> {
  const rig = createRig({ ...zeroKnobs, writeBufferFrames: mark });
  const conn = rig.server.open('c1', 'u1');
  if (conn === null) throw new Error('open failed');
  const row: Row = { rig, conn, resumedAt: null };
  await rig.drain();
  const accepted = conn.socket.accept();
  await rig.drain();
  await accepted;
  const client = conn.client as unknown as {
    stallsNow: () => boolean;
    resumeReading: () => void;
  };
  let stalled = false;
  client.stallsNow = () => {
    if (!stall || stalled) return false;
    stalled = true;
    rig.context.clock.setSyncTimer('reader:c1', stallMs, () => {
      row.resumedAt = rig.context.clock.now();
      client.resumeReading();
    });
    return true;
  };
  return row;
}

function entries(rig: Rig, actor: string, action: string): TraceRecord[] {
  return rig.context.trace.entries.filter((e) => e.actor === actor && e.action === action);
}

/** Event numbers of the data frames the browser read, in order. */
function framesRead(rig: Rig): number[] {
  return entries(rig, 'client', 'received')
    .filter((e) => e.message === 'websocket.send')
    .map((e) => Number((e.frame as { n: number }).n));
}

/** Sends `count` frames from one task; each send's return time, in order. */
async function burst(row: Row, count: number, from = 0): Promise<number[]> {
  const returned: number[] = [];
  for (let n = from; n < from + count; n++) {
    await row.conn.socket.sendJson({ n });
    returned.push(row.rig.context.clock.now());
  }
  return returned;
}

function range(n: number, from = 0): number[] {
  return Array.from({ length: n }, (_, k) => from + k);
}

describe('slow-reader rows on the simulated transport (writeBufferFrames 15)', () => {
  it('reader_active_burst: a burst within the mark never pauses; every frame arrives in order', async () => {
    const row = await connection(false);
    const done = burst(row, mark);
    await row.rig.drain();
    await done;
    const lines = uvicornWriteRows['reader_active_burst'] ?? [];
    expect(lines).toContain('transport paused during the burst: False');
    expect(entries(row.rig, 'net', 'paused')).toEqual([]);
    expect(lines).toContain('client read 15 frames in send order: True');
    expect(framesRead(row.rig)).toEqual(range(mark));
  });

  it('reader_stalled_burst: the send that takes the buffer above the mark waits for the reader', async () => {
    const row = await connection(true);
    const done = burst(row, 100);
    await row.rig.drain();
    const returned = await done;
    const resumedAt = row.resumedAt ?? Number.NaN;
    const before = returned.filter((t) => t < resumedAt).length;
    const lines = uvicornWriteRows['reader_stalled_burst'] ?? [];
    expect(lines).toContain('sends that returned before the reader resumed are the first ones: True');
    expect(returned.slice(0, before).every((t) => t < resumedAt)).toBe(true);
    expect(lines).toContain(
      'at least write_limit // frame size (15) sends returned before the reader resumed: True',
    );
    expect(before).toBeGreaterThanOrEqual(mark);
    expect(lines).toContain('the first pause came with the write buffer above write_limit 65536: True');
    const pauses = entries(row.rig, 'net', 'paused');
    expect(pauses[0]?.detail?.['unread']).toBe(mark + 1);
    expect(lines).toContain(
      'every pause came with the buffer above write_limit, every resume at or below write_limit // 4 (16384): True',
    );
    for (const p of pauses) expect(Number(p.detail?.['unread'])).toBeGreaterThan(mark);
    for (const r of entries(row.rig, 'net', 'resumed'))
      expect(Number(r.detail?.['unread'])).toBeLessThanOrEqual(Math.floor(mark / 4));
    expect(lines).toContain('client read all 100 frames, in send order, none lost: True');
    expect(framesRead(row.rig)).toEqual(range(100));
    // Each frame's wire entry (it left the server) comes before the browser reads it.
    const wiredAt = new Map(
      entries(row.rig, 'net', 'wire')
        .filter((e) => e.message === 'websocket.send')
        .map((e) => [(e.frame as { n: number }).n, e.i]),
    );
    for (const read of entries(row.rig, 'client', 'received').filter((e) => e.message === 'websocket.send'))
      expect(wiredAt.get((read.frame as { n: number }).n) ?? Number.POSITIVE_INFINITY).toBeLessThan(read.i);
    expect(lines).toContain("no send raised; the app's last send returned after the resume: True");
    expect(returned.at(-1)).toBeGreaterThanOrEqual(resumedAt);
  });

  it('second_sender_while_waiting: another task hands its frame over at once and waits behind', async () => {
    const row = await connection(true);
    const order: string[] = [];
    // Each send's return is noted the same way (one `then`), so the order is the sends' own.
    const first = burst(row, mark).then(() =>
      row.conn.socket.sendJson({ n: mark }).then(() => order.push('first')),
    );
    await row.rig.drain(stallMs / 2);
    const link = row.conn.client.link as unknown as { unread: number; drainWaiters: unknown[] };
    const second = row.conn.socket.sendJson({ n: mark + 1 }).then(() => order.push('second'));
    await row.rig.drain(stallMs / 2);
    const lines = uvicornWriteRows['second_sender_while_waiting'] ?? [];
    expect(lines).toContain(
      "a second task's send while the first waits: its frame is in the transport at once: True",
    );
    // The frames that left, and the two waiting in the transport's buffer (the first task's last one and this one).
    expect(link.unread + link.drainWaiters.length).toBe(mark + 2);
    expect(link.drainWaiters).toHaveLength(2);
    expect(lines).toContain('and it waits too: True');
    expect(order).toEqual([]);
    await row.rig.drain();
    await Promise.all([first, second]);
    expect(lines).toContain('both returned after the reader resumed, the first before the second: True');
    expect(order).toEqual(['first', 'second']);
    expect(lines).toContain("client read every frame in send order, the second task's last: True");
    expect(framesRead(row.rig)).toEqual(range(mark + 2));
  });

  it('reset_while_waiting: the waiting send fails once the peer is gone (WebSocketDisconnect(1006) here)', async () => {
    const row = await connection(true);
    const done = burst(row, mark + 1).then(
      () => 'ok',
      (error: unknown) =>
        error instanceof WebSocketDisconnect ? `WebSocketDisconnect(${error.code})` : 'other',
    );
    await row.rig.drain(stallMs / 2);
    row.conn.client.abrupt();
    await row.rig.drain();
    const lines = uvicornWriteRows['reset_while_waiting'] ?? [];
    expect(lines).toContain('it was still waiting at the reset and ended after it: True');
    expect(await done).toBe('WebSocketDisconnect(1006)');
    // The waiting send's frame never left: no wire entry for it.
    expect(entries(row.rig, 'net', 'wire').filter((e) => e.message === 'websocket.send')).toHaveLength(mark);
  });

  it('close_while_waiting: close queues behind the waiting send; nothing raises; the send returns first', async () => {
    const row = await connection(true);
    const order: string[] = [];
    const sending = burst(row, mark).then(() =>
      row.conn.socket.sendJson({ n: mark }).then(() => order.push('send')),
    );
    await row.rig.drain(stallMs / 2);
    const closing = row.conn.socket.close(1000).then(() => order.push('close'));
    await row.rig.drain();
    await Promise.all([sending, closing]);
    const lines = uvicornWriteRows['close_while_waiting'] ?? [];
    expect(lines).toContain('the waiting send returned before close() did: True');
    expect(order).toEqual(['send', 'close']);
    expect(lines).toContain('client got the close frame after the data frames, code 1000');
    const read = entries(row.rig, 'client', 'received');
    expect(read.at(-1)?.message).toBe('websocket.close');
    expect(read.filter((e) => e.message === 'websocket.send')).toHaveLength(mark + 1);
  });
});
