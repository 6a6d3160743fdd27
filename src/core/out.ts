/**
 * The effect collector of one `step`: effects in the order they are decided. Internal to
 * the core (not exported from the barrel).
 */
import type { Effect, Input, Outcome, Phase, TimerName } from './types.ts';

/** Collects the effects of one step. Mutable on purpose: it lives for one call only. */
export class Out {
  readonly effects: Effect[] = [];

  /** Appends one effect. */
  push(effect: Effect): void {
    this.effects.push(effect);
  }

  /** Reports an emit's one final outcome (every emit gets exactly one, P7). */
  outcome(eventId: string, outcome: Outcome): void {
    this.effects.push({ type: 'outcome', eventId, outcome });
  }

  /** Answers an input the phase does not accept: explicit, never a throw, never silent. */
  reject(input: Input['type'] | 'unknown', phase: Phase, reason: string): void {
    this.effects.push({ type: 'rejected', input, phase, reason });
  }

  /** Arms a timer; returns the timer list with it added. */
  setTimer(timers: readonly TimerName[], name: TimerName, ms: number): readonly TimerName[] {
    this.effects.push({ type: 'setTimer', name, ms });
    return [...timers, name];
  }

  /** Cancels every timer in `timers` (in order). */
  cancelTimers(timers: readonly TimerName[]): void {
    for (const name of timers) this.effects.push({ type: 'cancelTimer', name });
  }
}
