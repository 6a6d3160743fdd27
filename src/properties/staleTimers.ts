/**
 * `staleTimers`: the timers of a reducer design judged over their life (P10). Each
 * `design/timer` entry says which timer was armed, cancelled or fired, in which phase; a
 * timer armed for one phase that is still armed when it fires in another phase (or into a
 * closed connection) outlived the phase it guarded.
 */
import type { DesignRejected, DesignTimer, TraceEntry } from '../trace/entry.ts';
import type { TraceRecord } from '../trace/types.ts';
import type { CheckContext } from './propertyTypes.ts';
import { where } from './frames.ts';
import { asEntry } from './knownEntry.ts';
import { referencePhaseOf } from './phaseNames.ts';

interface Armed {
  /** The phase as the design named it, and as a reference phase (what is compared). */
  readonly phase: string;
  readonly as: string;
  readonly i: number;
}

interface Stale {
  readonly fired: DesignTimer;
  readonly armed: Armed;
  readonly name: string;
  readonly closed: boolean;
}

/** One finding: the offending steps and the message. */
export interface StaleTimerFinding {
  readonly steps: readonly number[];
  readonly message: string;
}

/**
 * One finding per timer that fired outside the phase it was armed in, folded over the
 * trace's entries (`step`, then `finish`). When the design answered the `timerFired` input
 * with `design/rejected` (a reducer's core refuses a timer it no longer holds), the finding
 * says so and names the rejection: the rejected input is the symptom, the timer left armed
 * is the cause.
 */
export class StaleTimers {
  private readonly findings: StaleTimerFinding[] = [];
  private readonly armed = new Map<string, Map<string, Armed>>();
  // A stale firing waits for the design's answer (the next design entry on its connection).
  private readonly waiting = new Map<string, Stale>();

  constructor(private readonly ctx: Pick<CheckContext, 'design'>) {}

  /** Folds one entry in (entries in trace order). */
  step(entry: TraceEntry): void {
    if (entry.actor !== 'design') return;
    this.answered(entry, entry.action === 'rejected' ? entry : undefined);
    if (entry.action === 'timer') this.timer(entry);
  }

  /**
   * Folds in an entry of a kind the `TraceEntry` union does not know (knownEntry.ts): a
   * design entry still answers a stale firing on its connection.
   */
  stepOther(record: TraceRecord): void {
    if (record.actor === 'design') this.answered(record, undefined);
  }

  /** A design entry on a connection whose stale firing waits: that firing's answer. */
  private answered(entry: TraceRecord, rejected: DesignRejected | undefined): void {
    const conn = entry.conn;
    if (conn === null) return;
    const stale = this.waiting.get(conn);
    if (stale !== undefined && entry !== stale.fired) {
      this.waiting.delete(conn);
      this.findings.push(finding(stale, rejected));
    }
  }

  private timer(entry: DesignTimer): void {
    const conn = entry.conn;
    if (conn === null) return;
    const { name, op } = entry.detail;
    // A trace file's design/timer may lack its phase (traceFormat.ts does not require it).
    const phase = entry.phase ?? '?';
    let timers = this.armed.get(conn);
    if (timers === undefined) {
      timers = new Map<string, Armed>();
      this.armed.set(conn, timers);
    }
    if (op === 'set') timers.set(name, { phase, as: this.asReference(phase), i: entry.i });
    else if (op === 'cancelled') timers.delete(name);
    else if (op === 'fired') {
      const since = timers.get(name);
      timers.delete(name);
      if (since !== undefined && since.as !== this.asReference(phase)) {
        const closed = this.asReference(phase) === 'closed';
        this.waiting.set(conn, { fired: entry, armed: since, name, closed });
      }
    }
  }

  /** The findings, once every entry was folded in. */
  finish(): StaleTimerFinding[] {
    const findings = [...this.findings];
    for (const stale of this.waiting.values()) findings.push(finding(stale, undefined));
    return findings;
  }

  private asReference(phase: string): string {
    return referencePhaseOf(phase, this.ctx) ?? phase;
  }
}

/**
 * `StaleTimers` over a whole trace at once. Pure.
 *
 * @example
 * staleTimers(run.trace, ctx)[0]?.message;
 * // 'c1: timer auth armed in authenticating (step 9) was not cancelled when that phase ended and fired in ready; the design rejected the timerFired input it produced (timer auth is not pending) (t=10000ms)'
 */
export function staleTimers(
  trace: readonly TraceRecord[],
  ctx: Pick<CheckContext, 'design'>,
): StaleTimerFinding[] {
  const fold = new StaleTimers(ctx);
  for (const record of trace) {
    const entry = asEntry(record);
    if (entry === null) fold.stepOther(record);
    else fold.step(entry);
  }
  return fold.finish();
}

function finding(stale: Stale, rejected: DesignRejected | undefined): StaleTimerFinding {
  const { fired, armed, name } = stale;
  const { conn, at } = where(fired);
  const into = stale.closed ? 'fired into the closed connection' : `fired in ${fired.phase ?? '?'}`;
  // A trace file's design/rejected is checked for the common fields only (traceFormat.ts).
  const given: unknown = rejected?.detail?.reason;
  const reason = typeof given === 'string' ? given : undefined;
  const answer =
    rejected === undefined
      ? ''
      : `; the design rejected the timerFired input it produced (${reason ?? 'no reason given'})`;
  const steps = rejected === undefined ? [fired.i, armed.i] : [fired.i, rejected.i, armed.i];
  return {
    steps,
    message: `${conn}: timer ${name} armed in ${armed.phase} (step ${armed.i}) was not cancelled when that phase ended and ${into}${answer} ${at}`,
  };
}
