/**
 * Which properties apply to a trace a real stack wrote (the ws adapter, the Python recorder,
 * the Python runner): docs/trace.md, "Which properties apply to a recorded trace".
 */
import type { TraceKind } from '../trace/entry.ts';
import type { ProfileName, TraceRecord } from '../trace/types.ts';
import type { PropertyId, PropertyVerdict } from './propertyTypes.ts';

/** Why a property does not apply to a real trace, or undefined; `declared`: the header has a config. */
type Rule = (
  trace: readonly TraceRecord[],
  profile: ProfileName | 'swarm' | null,
  declared: boolean,
) => string | undefined;

function has(trace: readonly TraceRecord[], kind: TraceKind): boolean {
  return trace.some((e) => `${e.actor}/${e.action}` === kind);
}

/**
 * The rules for `source: 'real'`. Properties not listed apply to every real trace (P1, P2,
 * P11, P12, P13), or their checker already answers not-applicable from the trace itself
 * (P4 without `design/phase`). P9 needs a declared capacity (the header's `config`) to judge
 * the events a real app holds against, or the app's own `design/buffer` reports.
 */
const realTraceRules: Partial<Record<PropertyId, Rule>> = {
  P9: (trace, _profile, declared) =>
    declared || has(trace, 'design/buffer')
      ? undefined
      : 'no capacity declared (header config) and no buffer reported: the events held have nothing to be judged against',
  P3: (trace) =>
    has(trace, 'app/receive')
      ? undefined
      : 'no receive call recorded (a push transport such as ws has none to misuse)',
  P5: (trace) =>
    has(trace, 'design/auth')
      ? undefined
      : 'no design/auth entry: the recording does not say when auth ended',
  P6: (trace) =>
    has(trace, 'workload/emit') ? undefined : 'no workload/emit entry: emits were not recorded',
  P7: (trace) =>
    has(trace, 'workload/emit') ? undefined : 'no workload/emit entry: emits were not recorded',
  P8: (trace) => (has(trace, 'workload/emit') ? undefined : 'no workload/emit entry: emit order unknown'),
  P10: (trace) =>
    has(trace, 'harness/settled') || has(trace, 'harness/unsettled') || has(trace, 'app/handlerStarted')
      ? undefined
      : 'no harness verdict and no handler lifetime recorded: the recorder cannot see tasks and timers settle',
  P14: (_trace, profile) =>
    profile === 'lan'
      ? undefined
      : 'real time on an unknown network: pass --profile lan to apply the lan targets',
};

/**
 * `verdicts` of a real trace, each property the recording cannot support made
 * `not-applicable` with the reason as its message. Pure.
 */
export function forRealTrace(
  verdicts: readonly PropertyVerdict[],
  trace: readonly TraceRecord[],
  profile: ProfileName | 'swarm' | null,
  declared: boolean,
): PropertyVerdict[] {
  return verdicts.map((v) => {
    const reason = realTraceRules[v.id]?.(trace, profile, declared);
    return reason === undefined
      ? v
      : { id: v.id, status: 'not-applicable', steps: [], message: reason, exercised: 0 };
  });
}
