/**
 * Contracts of the simulation, in one import: the design contract (designContract.ts), a
 * run's input (scenario.ts) and the trace (src/trace/types.ts).
 *
 * Types only.
 */
export type * from './designContract.ts';
export type * from './scenario.ts';
export type {
  Actor,
  AsgiMessage,
  ProfileName,
  RunResult,
  SocketStates,
  TraceEntry,
  WebSocketState,
} from '../trace/types.ts';
export type { AgentEvent, Effect, Input, Phase } from '../core/types.ts';
export type { FrameCodec, FrameEvent } from '../trace/frameCodec.ts';
