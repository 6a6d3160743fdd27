/**
 * ws-lifecycle/core: the pure lifecycle reducer, its transition table, the buffer and
 * sequencer rules and close-frame validation. No clock, no timers, no I/O.
 *
 * @example
 * import { step, initial, defaultConfig } from 'ws-lifecycle/core';
 * const { state, effects } = step(initial(defaultConfig), { type: 'connect' });
 */
export { step } from './step.ts';
export { stepAll } from './stepAll.ts';
export { initial, defaultConfig, criticalEventTypes, phaseOf, bufferedCount } from './state.ts';
export type {
  State,
  ConnectingState,
  AcceptingState,
  AuthenticatingState,
  PreparingState,
  ReadyState,
  ClosingState,
  ClosedState,
  InFlight,
} from './state.ts';
export { ConfigError } from './configError.ts';
export {
  transitions,
  isTransition,
  isTransitionOn,
  triggerOf,
  stayInputs,
  phases,
  seedPhaseNames,
  mermaidDiagram,
} from './transitions.ts';
export type { Transition, Trigger } from './transitions.ts';
export { isValidCloseCode, isValidCloseReason, utf8ByteLength, maxCloseReasonBytes } from './closeCodes.ts';
export { emptyBuffer, offerEvent, takeOldest, bufferSize } from './buffer.ts';
export type { BufferedEvent, EventBuffer, OfferResult } from './buffer.ts';
export { initialSequencer, takeSeq, isContiguousFromOne } from './sequencer.ts';
export type { Sequencer } from './sequencer.ts';
export { assertNever } from './assertNever.ts';
export type {
  Phase,
  JsonValue,
  AgentEvent,
  TimerName,
  Frame,
  Outcome,
  Input,
  Effect,
  LifecycleConfig,
  StepResult,
} from './types.ts';
