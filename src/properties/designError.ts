/**
 * DE design-error (SPEC section 7): no design function threw a JavaScript error or returned
 * a malformed effect. Such a run proves nothing about the lifecycle, so it fails as such.
 */
import { defineProperty, type PropertyDef } from './fold.ts';
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
export const designError: PropertyDef = defineProperty({
  id: 'DE',
  name: 'design-error',
  precondition: 'a run of the design',
  reads: ['design'],
  summary:
    'No design function throws a JavaScript error or returns a malformed effect: such a run fails as a design error, whatever else it shows.',
  init() {
    const findings = new Findings('DE');
    findings.exercised = 1;
    return findings;
  },
  step(findings, entry) {
    if (entry.actor !== 'design' || (entry.action !== 'error' && entry.action !== 'threw')) return;
    const { conn, at } = where(entry);
    // A trace file's design/error and design/threw are checked for the common fields only
    // (traceFormat.ts): their detail is read defensively.
    const detail: { readonly where?: unknown; readonly input?: unknown; readonly error?: unknown } =
      entry.detail ?? {};
    const fn = entry.action === 'threw' ? 'step' : String(detail.where ?? 'design');
    const input = detail.input === undefined ? '' : ` on ${String(detail.input)}`;
    findings.violate(
      [entry.i],
      `${conn}: design error in ${fn}${input}: ${String(detail.error ?? '')} ${at}`,
    );
  },
  finish: (findings) => findings.verdict(),
});
