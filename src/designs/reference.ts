/**
 * The reference design: the pure core of src/core wired as a `ReducerDesign`, so the
 * simulation and the checkers run it like any other design under test.
 */
import { bufferedCount, initial, phaseOf, step, type State } from '../core/index.ts';
import type { ReducerDesign } from '../sim/types.ts';

/**
 * The reference lifecycle as a reducer design. Pure: every method is a pure function of
 * its arguments.
 *
 * @example
 * const s0 = reference.initial(defaultConfig);
 * const { state } = reference.step(s0, { type: 'connect' });
 * reference.phaseOf(state); // 'accepting'
 */
export const reference: ReducerDesign<State> = {
  kind: 'reducer',
  name: 'reference',
  initial,
  step,
  phaseOf,
  bufferedCount,
};
