// examples/reference-reducer.ts: a reducer design built on the reference core, importing
// only the package's entries. Check it: npx ws-lifecycle check --design ./examples/reference-reducer.ts
import { bufferedCount, initial, phaseOf, step, type State } from 'ws-lifecycle/core';
import type { ReducerDesign } from 'ws-lifecycle/design';

/** The reference lifecycle under another name: every property holds on every profile. */
export const design: ReducerDesign<State> = {
  kind: 'reducer',
  name: 'example-reducer',
  initial,
  step,
  phaseOf,
  bufferedCount,
};
