/**
 * `checkTrace`: every property of SPEC section 7 on one recorded run.
 */
import type { RunResult } from '../trace/types.ts';
import { abortOf, discountAbortedRun } from './abortedRun.ts';
import { foldRun, type PropertyDef } from './fold.ts';
import { properties } from './index.ts';
import type { CheckContext, PropertyVerdict } from './propertyTypes.ts';

export { properties };

/**
 * Checks one run against P1..P15 and DE (or `defs`) and returns their verdicts in property
 * order. One pass over the trace: each checker is a fold (src/properties/fold.ts). Pure (no
 * I/O, no clock) and linear in the trace length. A checker that throws gives its property a
 * `checker-error` verdict naming the exception, charged to the checker, not to the design,
 * and never hides the other verdicts.
 *
 * @example
 * const verdicts = checkTrace(run, { design: { name: 'reference', kind: 'reducer' }, profile: 'lan' });
 * verdicts.filter((v) => v.status === 'violated').map((v) => v.id); // []
 */
export function checkTrace(
  run: RunResult,
  ctx: CheckContext,
  defs: readonly PropertyDef[] = properties,
): PropertyVerdict[] {
  const folded = foldRun(run, ctx, defs);
  const verdicts = folded.verdicts.map((verdict, k): PropertyVerdict => {
    if (verdict.status !== 'not-exercised') return verdict;
    const precondition = defs[k]?.precondition ?? 'its precondition';
    return { ...verdict, message: `precondition never occurred: ${precondition}` };
  });
  // An aborted run is not judged on what it had not done when it stopped (src/properties/abortedRun.ts).
  return discountAbortedRun(abortOf(folded.facts?.lastUnsettled), verdicts);
}
