/**
 * Verdicts of an aborted run. A livelock or a harness limit stops the whole run at one
 * simulated ms, every connection wherever it was. The abort is the finding (P10, on the
 * connection that caused it, `harness/unsettled` with `detail.aborted`); what the other
 * connections had not yet done by then says nothing about them. So the properties judged at
 * the end of a run (P7: an acknowledged event never delivered; P14: a connection never
 * ready) are not judged on an aborted run; every other property is judged on what happened
 * before the abort, which is all the trace holds. Pure.
 */
import type { HarnessUnsettled } from '../trace/entry.ts';
import type { PropertyId, PropertyVerdict } from './propertyTypes.ts';

/** Properties whose violation can come from the run ending, not from what happened. */
export const endOfRunProperties: readonly PropertyId[] = ['P7', 'P14'];

/** The abort of a run: its reason and the connection charged with it (null: unattributed). */
export interface RunAbort {
  readonly reason: string;
  readonly culprit: string | null;
}

/**
 * The run's abort, from its last `harness/unsettled` entry (TraceFacts' `lastUnsettled`), or
 * null when it ran to its end. Pure.
 */
export function abortOf(lastUnsettled: HarnessUnsettled | undefined): RunAbort | null {
  // A trace file's harness/unsettled may lack its detail (traceFormat.ts does not require it).
  const reason = lastUnsettled?.detail?.aborted;
  if (lastUnsettled === undefined || typeof reason !== 'string') return null;
  return { reason, culprit: lastUnsettled.conn };
}

/**
 * `verdicts` with the end-of-run properties of an aborted run marked not judged
 * (not-exercised, the message naming the abort); unchanged for a run that was not aborted
 * and for a property not applicable anyway or whose checker failed. Pure.
 *
 * @example
 * discountAbortedRun(abortOf(facts.lastUnsettled), checkVerdicts).find((v) => v.id === 'P7')?.message; // 'not judged: run aborted ...'
 */
export function discountAbortedRun(
  abort: RunAbort | null,
  verdicts: readonly PropertyVerdict[],
): PropertyVerdict[] {
  if (abort === null) return [...verdicts];
  return verdicts.map((v) =>
    endOfRunProperties.includes(v.id) && v.status !== 'not-applicable' && v.status !== 'checker-error'
      ? {
          id: v.id,
          status: 'not-exercised',
          steps: [],
          message: `not judged: run aborted (${abort.reason})`,
          exercised: 0,
        }
      : v,
  );
}
