/**
 * `Findings`: the small accumulator every checker fills in one pass over a trace and turns
 * into a `PropertyVerdict` at the end.
 */
import type { PropertyId, PropertyVerdict } from './propertyTypes.ts';

/** Most step indexes a verdict lists; a report only needs the first few to point at. */
const maxSteps = 20;

interface Violation {
  readonly steps: readonly number[];
  readonly message: string;
}

/**
 * Collects the precondition count and the violations of one property on one trace.
 * Not pure (it accumulates); each checker makes its own and discards it.
 *
 * @example
 * const f = new Findings('P13');
 * f.exercised++;
 * f.violate([7], 'c1: RuntimeError "..." (t=12ms)');
 * f.verdict(); // { id: 'P13', status: 'violated', steps: [7], message: ..., exercised: 1 }
 */
export class Findings {
  /** How many times the precondition occurred; checkers increment it. */
  exercised = 0;
  private readonly violations: Violation[] = [];

  constructor(readonly id: PropertyId) {}

  /**
   * Records one violation. `steps[0]` is the offending entry; further steps are the entries
   * that make it offending (e.g. the earlier close). Order of calls does not matter: the
   * verdict reports the violation whose first step comes first in the trace.
   */
  violate(steps: readonly number[], message: string): void {
    this.violations.push({ steps, message });
  }

  /** Whether any violation was recorded. */
  get violated(): boolean {
    return this.violations.length > 0;
  }

  /**
   * The verdict: violated (first violation's message and steps, then the first step of
   * each later violation), else held when exercised, else not-exercised. Pure.
   */
  verdict(): PropertyVerdict {
    if (this.violations.length === 0) {
      const status = this.exercised > 0 ? 'held' : 'not-exercised';
      const message =
        status === 'held' ? `held (${this.exercised} exercised)` : 'precondition never occurred';
      return { id: this.id, status, steps: [], message, exercised: this.exercised };
    }
    const sorted = [...this.violations].sort((a, b) => firstStep(a) - firstStep(b));
    const first = sorted[0] as Violation;
    const steps = [...first.steps];
    for (const later of sorted.slice(1)) {
      const step = firstStep(later);
      if (steps.length >= maxSteps) break;
      if (!steps.includes(step)) steps.push(step);
    }
    const more = sorted.length - 1;
    const message = more > 0 ? `${first.message} (+${more} more)` : first.message;
    // A violation is an occurrence of the precondition, even if a checker counted it elsewhere.
    const exercised = Math.max(this.exercised, 1);
    return { id: this.id, status: 'violated', steps: steps.slice(0, maxSteps), message, exercised };
  }

  /** A not-applicable verdict with the reason as its message. Pure. */
  notApplicable(reason: string): PropertyVerdict {
    return { id: this.id, status: 'not-applicable', steps: [], message: reason, exercised: 0 };
  }
}

function firstStep(v: Violation): number {
  return v.steps[0] ?? Number.MAX_SAFE_INTEGER;
}
