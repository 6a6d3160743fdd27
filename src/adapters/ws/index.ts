/**
 * ws-lifecycle/ws: the reference core serving real WebSockets on the `ws` package, with
 * per-connection traces in the format `ws-lifecycle check-trace` reads.
 *
 * @example
 * import { createLifecycleServer } from 'ws-lifecycle/ws';
 * const server = await createLifecycleServer({ port: 8080, trace: 'run.jsonl' });
 * await server.broadcast({ type: 'agent_started', payload: { run: 'r1' } });
 * await server.close(); // every connection gets close 1001
 */
export { createLifecycleServer, LifecycleServer } from './lifecycleServer.ts';
export type { EmitEvent, EventOutcome, ServerStats } from './lifecycleServer.ts';
export { defaultLimits, serverLimitsOf } from './limits.ts';
export type { ServerLimits } from './limits.ts';
export { lifecycleConfigOf } from './options.ts';
export type { AuthResult, ConnectionInfo, LifecycleServerOptions } from './options.ts';
export { traceFrameOf } from './traceFrame.ts';
export type { TraceFrames } from './traceFrame.ts';
export { fileSink, TraceWriter } from './traceWriter.ts';
export type { EntryDraft, SocketStateName, TraceSink } from './traceWriter.ts';
export type { Outcome } from '../../core/types.ts';
