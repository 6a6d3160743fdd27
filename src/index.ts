/**
 * ws-lifecycle: the reference core, the deterministic simulation and the checkers.
 *
 * @example
 * import { step, initial, defaultConfig, runScenario } from 'ws-lifecycle';
 */
export * from './core/index.ts';
export * from './sim/index.ts';
export * from './check/index.ts';
