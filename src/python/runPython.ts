/**
 * Runs a Python design's scenario in this thread's runner process (one per design file,
 * started on first use, started again after it died) and returns the run as the simulation
 * returns one. Commands of a hook the design does not define are left out of the scenario
 * the runner gets, so the run is the same whether or not the generator made them.
 */
import type { LifecycleConfig } from '../core/types.ts';
import type { Command, PythonDesign, PythonHook, Scenario } from '../sim/types.ts';
import type { RunResult } from '../trace/types.ts';
import { PythonRunner } from './runner.ts';

/**
 * Simulated ms a Python run goes on after its last command: above P10's 15 s bound on a
 * handler's life after its connection closed, so a handler that never returns is seen.
 */
export const pythonSettleMs = 16_000;

const runners = new Map<string, Promise<PythonRunner>>();

/** This thread's runner for `file`, started (again) when there is none alive. */
export async function runnerFor(file: string): Promise<PythonRunner> {
  const known = runners.get(file);
  if (known !== undefined) {
    const runner = await known.catch(() => null);
    if (runner !== null && !runner.isDead) return runner;
  }
  const started = PythonRunner.start(file);
  runners.set(file, started);
  started.catch(() => runners.delete(file));
  return started;
}

/** Ends every runner this thread started (their processes exit on EOF). */
export async function closeRunners(): Promise<void> {
  const all = [...runners.values()];
  runners.clear();
  for (const r of await Promise.allSettled(all)) if (r.status === 'fulfilled') r.value.close();
}

/** The hook a command needs, or null for a command of the client's own. Pure. */
function hookOf(command: Command): PythonHook | null {
  switch (command.kind) {
    case 'emit':
      return 'emit';
    case 'broadcast':
      return 'broadcast';
    case 'appClose':
      return 'close';
    default:
      return null;
  }
}

/** `scenario` without the commands of hooks `hooks` lacks. Pure. */
export function forHooks(scenario: Scenario, hooks: readonly PythonHook[]): Scenario {
  const commands = scenario.commands.filter((c) => {
    const hook = hookOf(c);
    return hook === null || hooks.includes(hook);
  });
  return commands.length === scenario.commands.length ? scenario : { ...scenario, commands };
}

/**
 * One run of a Python design.
 *
 * @throws PythonRunnerError when the runner refuses the scenario, PythonRunnerDied when its
 *   process died during the run (the design's process: the caller reports a crash).
 */
export async function runPythonDesign(
  design: PythonDesign,
  scenario: Scenario,
  config: LifecycleConfig,
): Promise<RunResult> {
  const runner = await runnerFor(design.file);
  const answer = await runner.run(forHooks(scenario, design.hooks), pythonSettleMs);
  return { design: design.name, trace: answer.trace, userOf: answer.userOf, config };
}
