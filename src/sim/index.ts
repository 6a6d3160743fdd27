/**
 * ws-lifecycle/sim: the deterministic simulation. Fake clock, seeded chooser, the
 * Starlette-faithful socket, network and browser, the asyncio-like runtime, drivers for
 * reducer and handler designs, the scenario runner, profiles and workloads.
 *
 * @example
 * import { runScenario, profiles, generateScenario } from 'ws-lifecycle/sim';
 * const result = await runScenario(design, generateScenario(1, 'lan'));
 */
export { runScenario, defaultSettleMs } from './runScenario.ts';
export type { RunOptions } from './runScenario.ts';
export { Chooser, perMillionScale } from './chooser.ts';
export { Prng } from './prng.ts';
export { profiles, profileNames, zeroKnobs, swarmKnobs } from './profiles.ts';
export { serializeTrace, TraceRecorder, traceCapacity } from './trace.ts';
export {
  RuntimeError,
  WebSocketDisconnect,
  TimeoutError,
  CancelledError,
  KeyError,
  errorKindOf,
} from './errors.ts';
export {
  StarletteSocket,
  notConnectedMessage,
  receiveAfterDisconnectMessage,
  sendAfterCloseMessage,
} from './socket.ts';
export { SimClock, quietTurns, harnessQuietTurns, livelockTurns, sameMsTimerLimit } from './simClock.ts';
export { Runtime, RuntimeTask, SimFuture, maxHops, queueCapacity, defaultPython } from './runtime.ts';
export { withPython, pythonVersions } from './python.ts';
export { frameOf, decodeText } from './frames.ts';
export { defaultFrameCodec, decodeDefaultFrame, frameText } from '../trace/frameCodec.ts';
export type * from './types.ts';
