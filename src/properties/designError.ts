/**
 * DE design-error (SPEC section 7): no design function threw a JavaScript error or returned
 * a malformed effect. Such a run proves nothing about the lifecycle, so it fails as such.
 */
import type { RunResult } from '../trace/types.ts';
import type { PropertyDef, PropertyVerdict } from './propertyTypes.ts';
import { Findings } from './findings.ts';
import { where } from './frames.ts';

/**
 * Violated by every `design/error` entry (a reducer's `initial`, `step`, `phaseOf` or
 * `bufferedCount` threw, or `step` returned a malformed effect; a handler's `create`,
 * `handle`, `emit`, `close` or `broadcast` raised an error the simulation does not model,
 * such as a TypeError) and by every reducer `design/threw`. Exercised by every run.
 *
 * @example designError.check(run, ctx).message // 'c1: design error in initial: boom (t=0ms)'
 */
export const designError: PropertyDef = {
  id: 'DE',
  name: 'design-error',
  precondition: 'a run of the design',
  summary:
    'No design function throws a JavaScript error or returns a malformed effect: such a run fails as a design error, whatever else it shows.',
  check(run: RunResult): PropertyVerdict {
    const findings = new Findings('DE');
    findings.exercised = 1;
    for (const entry of run.trace) {
      if (entry.actor !== 'design' || (entry.action !== 'error' && entry.action !== 'threw')) continue;
      const { conn, at } = where(entry);
      const detail = entry.detail ?? {};
      const fn = entry.action === 'threw' ? 'step' : String(detail['where'] ?? 'design');
      const input = detail['input'] === undefined ? '' : ` on ${String(detail['input'])}`;
      findings.violate(
        [entry.i],
        `${conn}: design error in ${fn}${input}: ${String(detail['error'] ?? '')} ${at}`,
      );
    }
    return findings.verdict();
  },
};
