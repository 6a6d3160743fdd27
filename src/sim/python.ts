/**
 * The Python version as an option of a design's environment: `withPython(design, '3.12')`
 * runs a handler design on a runtime whose `wait_for` is Python 3.12's (the coroutine runs
 * inline in the calling task) instead of 3.11's (a new task, one scheduler turn later).
 * Everything else about the run is unchanged, so one design can be checked under both.
 */
import { Runtime } from './runtime.ts';
import type { Design, PythonVersion } from './types.ts';

/** The versions a design can be run under; the first is the default. */
export const pythonVersions: readonly PythonVersion[] = ['3.11', '3.12'];

/**
 * `design` run under `python`. A reducer design awaits nothing, so it is returned as is;
 * a handler design gets `env.python` and a runtime of that version. Pure (builds a design).
 *
 * @example
 * const py312 = withPython(design, '3.12');
 * await runScenario(py312, scenario);
 */
export function withPython(design: Design, python: PythonVersion, name = design.name): Design {
  if (design.kind === 'reducer') return design;
  return {
    ...design,
    name,
    create: (env) => {
      // A runtime view that is not the simulation's own (a control's wrapper) keeps its waitFor.
      const runtime = env.runtime instanceof Runtime ? env.runtime.withPython(python) : env.runtime;
      return design.create({ ...env, python, runtime });
    },
  };
}
