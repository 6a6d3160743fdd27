/**
 * One run of any design, and its verdicts: the simulation runs reducer and handler designs,
 * the Python runner runs Python designs (src/python). A Python run is a real stack's trace,
 * so it is judged as check-trace judges a real recording: the properties the recording
 * cannot support are not applicable (src/properties/realTraceRules.ts).
 */
import { defaultConfig } from '../core/state.ts';
import type { LifecycleConfig } from '../core/types.ts';
import { checkTrace } from '../properties/checkTrace.ts';
import type { CheckContext, PropertyVerdict } from '../properties/propertyTypes.ts';
import { forRealTrace } from '../properties/realTraceRules.ts';
import { runPythonDesign } from '../python/runPython.ts';
import { runScenario } from '../sim/runScenario.ts';
import type { Design, Scenario } from '../sim/types.ts';
import type { RunResult } from '../trace/types.ts';

/** Runs `scenario` against `design`, wherever that design runs. Deterministic. */
export function runDesign(design: Design, scenario: Scenario, config?: LifecycleConfig): Promise<RunResult> {
  if (design.kind === 'python') return runPythonDesign(design, scenario, config ?? defaultConfig);
  return runScenario(design, scenario, config === undefined ? {} : { config });
}

/** The verdicts on one run of `design`. Pure. */
export function judgeRun(design: Design, run: RunResult, ctx: CheckContext): PropertyVerdict[] {
  const verdicts = checkTrace(run, ctx);
  return design.kind === 'python' ? forRealTrace(verdicts, run.trace, ctx.profile, false) : verdicts;
}
