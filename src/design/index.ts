/**
 * ws-lifecycle/design: the contract a design under test implements, and nothing else. A
 * design module imports its types and the exceptions the simulation models from here (and,
 * for a reducer built on the reference, `ws-lifecycle/core`), never from the project's
 * sources: examples/ shows both kinds.
 *
 * - A reducer design (`ReducerDesign`): `initial` + `step`, effects as data.
 * - A handler design (`HandlerDesign`): `create(env)` returns a server whose `handle`,
 *   `emit`, `close` and `broadcast` drive the simulated Starlette socket (`SimSocket`) on the
 *   asyncio-like runtime (`env.runtime`), catching the modelled exceptions below.
 *
 * @example
 * import type { HandlerDesign } from 'ws-lifecycle/design';
 * import { WebSocketDisconnect } from 'ws-lifecycle/design';
 */
export type {
  AgentEvent,
  AsgiMessage,
  Design,
  DesignEnv,
  DesignPaths,
  DesignProbe,
  DesignServer,
  Effect,
  Environment,
  FrameCodec,
  FrameEvent,
  HandlerDesign,
  Input,
  Phase,
  PythonDesign,
  PythonHook,
  PythonVersion,
  ReducerDesign,
  ServerConnection,
  SimEvent,
  SimLock,
  SimQueue,
  SimRuntime,
  SimServices,
  SimSocket,
  SimTask,
  WebSocketState,
} from '../sim/types.ts';
export { CancelledError, RuntimeError, TimeoutError, WebSocketDisconnect } from '../sim/errors.ts';
