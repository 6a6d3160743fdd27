/**
 * `checkTrace`: every property of SPEC section 7 on one recorded run.
 */
import type { RunResult } from '../trace/types.ts';
import { discountAbortedRun } from './abortedRun.ts';
import { properties } from './index.ts';
import type { CheckContext, PropertyVerdict } from './propertyTypes.ts';

export { properties };

/**
 * Checks one run against P1..P15 and returns their verdicts in property order. Pure (no
 * I/O, no clock) and linear in the trace length. A checker that throws (a malformed trace)
 * becomes a violation of that property naming the exception, so one bad entry never hides
 * the other verdicts.
 *
 * @example
 * const verdicts = checkTrace(run, { design: { name: 'reference', kind: 'reducer' }, profile: 'lan' });
 * verdicts.filter((v) => v.status === 'violated').map((v) => v.id); // []
 */
export function checkTrace(run: RunResult, ctx: CheckContext): PropertyVerdict[] {
  const verdicts = properties.map((property): PropertyVerdict => {
    try {
      const verdict = property.check(run, ctx);
      if (verdict.status !== 'not-exercised') return verdict;
      return { ...verdict, message: `precondition never occurred: ${property.precondition}` };
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      return {
        id: property.id,
        status: 'violated',
        steps: [],
        message: `checker ${property.name} failed on this trace: ${text}`,
        exercised: 1,
      };
    }
  });
  // An aborted run is not judged on what it had not done when it stopped (src/properties/abortedRun.ts).
  return discountAbortedRun(run, verdicts);
}
