/**
 * The Python version as an option of a design's environment: `withPython(design, '3.12')`
 * runs a handler design on a runtime whose `wait_for` is Python 3.12's (the coroutine runs
 * inline in the calling task) instead of 3.11's (a new task, one scheduler turn later).
 * Everything else about the run is unchanged, so one design can be checked under both.
 */
import type { Design, PythonVersion, SimRuntime } from './types.ts';

/** The versions a design can be run under; the first is the default. */
export const pythonVersions: readonly PythonVersion[] = ['3.11', '3.12'];

/**
 * `design` run under `python`. A reducer design awaits nothing, and a Python design runs on
 * the real interpreter, so they are returned as is;
 * a handler design gets `env.python` and a runtime of that version. Pure (builds a design).
 *
 * @example
 * const py312 = withPython(design, '3.12');
 * await runScenario(py312, scenario);
 */
export function withPython(design: Design, python: PythonVersion, name = design.name): Design {
  if (design.kind !== 'handler') return design;
  return {
    ...design,
    name,
    create: (env) => design.create({ ...env, python, runtime: runtimeOn(env.runtime, python) }),
  };
}

/**
 * `runtime` on `python`: the same view with that version's `waitFor`, when it can give one
 * (the simulation's `Runtime`, and a wrapper that keeps its wrapping, as the abort culprit
 * tracker's); any other view (a control's wrapper) is returned as is and keeps its waitFor.
 * Pure (builds a view).
 *
 * @example
 * runtimeOn(env.runtime, '3.12').waitFor(fn, 1000); // fn runs inline
 */
export function runtimeOn(runtime: SimRuntime, python: PythonVersion): SimRuntime {
  const switchable = runtime as SimRuntime & { withPython?: (python: PythonVersion) => SimRuntime };
  return typeof switchable.withPython === 'function' ? switchable.withPython(python) : runtime;
}
