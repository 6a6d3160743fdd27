/**
 * Handler lifetime in real traces (SPEC section 11; P10): a connection's handler must end a
 * bounded time after its connection closed, and must not keep sending meanwhile. The real
 * recorders write `app/handlerStarted`, `app/handlerReturned` and `app/handlerRaised`; a
 * trace without them has nothing to judge here.
 */
import type { AppHandlerRaised, AppHandlerReturned, AppHandlerStarted, TraceEntry } from '../trace/entry.ts';
import type { TraceRecord } from '../trace/types.ts';
import { isDataSend, where } from './frames.ts';
import type { DataSend } from './frames.ts';

/**
 * How long after its connection closed a handler may still run (or send), in trace ms: above
 * uvicorn's close handshake timeout (websockets' `close_timeout`, 10 s, which a handler that
 * closes a vanished peer waits out in `close()`), with room for the loop.
 */
export const handlerSettleMs = 15_000;

/** One finding of `zombieHandlers`. */
export interface ZombieFinding {
  readonly steps: number[];
  readonly message: string;
}

/** What `zombieHandlers` found: findings, and how many handlers could be judged. */
export interface HandlerLifetime {
  readonly findings: readonly ZombieFinding[];
  /** Handlers whose connection closed at least `handlerSettleMs` before the trace ends. */
  readonly judged: number;
  /** Whether the trace records handler lifetimes at all. */
  readonly recorded: boolean;
}

/**
 * Judges each recorded handler whose connection closed at least `handlerSettleMs` before
 * the trace ends: still running then (no `handlerReturned`/`handlerRaised` by that time), or
 * sending data later than that, is a finding. A fold: `step` each entry, then `finish` with
 * the whole trace's `closedAt` (connectionFacts.ts) and the trace (read at two indexes).
 *
 * @example
 * const lifetimes = new HandlerLifetimes();
 * for (const entry of run.trace) lifetimes.step(entry);
 * lifetimes.finish(facts.closedAt, run.trace).findings[0]?.message; // 'c2: its handler still ran 8000 ms ...'
 */
export class HandlerLifetimes {
  private readonly started = new Map<string, AppHandlerStarted>();
  private readonly ended = new Map<string, AppHandlerReturned | AppHandlerRaised>();
  private readonly lateSends = new Map<string, DataSend[]>();

  /** Folds one entry in (entries in trace order). */
  step(entry: TraceEntry): void {
    if (entry.conn === null || entry.actor !== 'app') return;
    if (entry.action === 'handlerStarted') this.started.set(entry.conn, entry);
    else if (entry.action === 'handlerReturned' || entry.action === 'handlerRaised') {
      if (!this.ended.has(entry.conn)) this.ended.set(entry.conn, entry);
    } else if (isDataSend(entry)) {
      const list = this.lateSends.get(entry.conn) ?? [];
      list.push(entry);
      this.lateSends.set(entry.conn, list);
    }
  }

  /** The findings, once every entry was folded in. Pure. */
  finish(closedAt: ReadonlyMap<string, number>, trace: readonly TraceRecord[]): HandlerLifetime {
    const { started, ended, lateSends } = this;
    if (started.size === 0) return { findings: [], judged: 0, recorded: false };
    const end = trace.at(-1)?.t ?? 0;
    const findings: ZombieFinding[] = [];
    let judged = 0;
    for (const conn of started.keys()) {
      const closedIndex = closedAt.get(conn);
      const closed = closedIndex === undefined ? undefined : trace[closedIndex];
      if (closed === undefined || end < closed.t + handlerSettleMs) continue;
      judged++;
      const deadline = closed.t + handlerSettleMs;
      const late = (lateSends.get(conn) ?? []).find((send) => send.t > deadline);
      const over = ended.get(conn);
      const { at } = where(closed);
      if (late !== undefined) {
        findings.push({
          steps: [late.i, closed.i],
          message: `${conn}: its handler still sends ${Math.round(late.t - closed.t)} ms after its connection closed at step ${closed.i} ${at}`,
        });
      } else if (over === undefined || over.t > deadline) {
        const ran =
          over === undefined
            ? `still ran at the end of the trace, ${Math.round(end - closed.t)} ms`
            : `ran ${Math.round(over.t - closed.t)} ms`;
        findings.push({
          steps: [closed.i],
          message: `${conn}: its handler ${ran} after its connection closed (bound ${handlerSettleMs} ms) ${at}`,
        });
      }
    }
    return { findings, judged, recorded: true };
  }
}
