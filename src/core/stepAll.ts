/**
 * Folding `step` over a sequence of inputs.
 */
import type { State } from './state.ts';
import { step } from './step.ts';
import type { Effect, Input, StepResult } from './types.ts';

/**
 * Applies `inputs` in order from `state`. Pure.
 *
 * @returns the final state and every effect, in order.
 * @example
 * const { state } = stepAll(initial(defaultConfig), [{ type: 'connect' }, { type: 'acceptCompleted' }]);
 * phaseOf(state); // 'authenticating'
 */
export function stepAll(state: State, inputs: readonly Input[]): StepResult<State> {
  let current = state;
  const effects: Effect[] = [];
  for (const input of inputs) {
    const result = step(current, input);
    current = result.state;
    effects.push(...result.effects);
  }
  return { state: current, effects };
}
