/**
 * `checkTraceFile`: the properties on a trace recorded anywhere (the simulation, the `ws`
 * adapter, the Python ASGI recorder), each applied only where the recording can support it
 * (docs/trace.md, "Which properties apply to a recorded trace").
 */
import type { ProfileName } from '../sim/types.ts';
import { checkTrace } from '../properties/checkTrace.ts';
import type { CheckContext, PropertyVerdict } from '../properties/propertyTypes.ts';
import { forRealTrace } from '../properties/realTraceRules.ts';
import type { TraceFile } from '../trace/traceFile.ts';

/**
 * Checks one parsed trace file. Pure. A simulated trace is judged like `check` judges a run
 * (its header's profile, or `profile` when given); a real one gets every property that
 * applies to a real recording and `not-applicable`, with the reason as message, for the rest.
 *
 * @example
 * checkTraceFile(parseTraceFile(text, 'run.jsonl')).filter((v) => v.status === 'violated');
 */
export function checkTraceFile(file: TraceFile, profile?: ProfileName | 'swarm'): PropertyVerdict[] {
  const { header, run } = file;
  const chosen = profile ?? header.profile;
  const design = {
    name: header.design.name,
    kind: header.design.kind,
    ...(header.design.phaseAliases === undefined ? {} : { phaseAliases: header.design.phaseAliases }),
    // A real stack reports readiness by its accept on the wire when it reports no phase or auth.
    ...(header.source === 'real' ? { readyOnAccept: true } : {}),
  };
  // A real recording has no fault profile; 'swarm' carries no latency target (P14 is ruled below).
  const ctx: CheckContext = { design, profile: chosen ?? 'swarm' };
  const verdicts = checkTrace(run, ctx);
  if (header.source !== 'real') return verdicts;
  return forRealTrace(verdicts, run.trace, chosen ?? null, header.config !== undefined);
}
