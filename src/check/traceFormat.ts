/**
 * The trace file format (docs/trace.md): JSON lines, a header line then one `TraceEntry` per
 * line, described by zod schemas. docs/trace.schema.json is generated from these schemas
 * (`traceJsonSchema`), and a test keeps the two equal.
 */
import { z } from 'zod';
import { phases } from '../core/transitions.ts';
import type { Phase } from '../core/types.ts';

/** The version written in every header; a reader refuses any other. */
export const traceFormatVersion = 1;

/** The `format` field of a header: what makes a JSON-lines file a ws-lifecycle trace. */
export const traceFormatName = 'ws-lifecycle-trace';

const json = z.json();
const webSocketState = z.enum(['CONNECTING', 'CONNECTED', 'DISCONNECTED', 'RESPONSE']);
const socketStates = z.strictObject({ client: webSocketState, app: webSocketState });
const asgiMessageType = z.enum([
  'websocket.connect',
  'websocket.receive',
  'websocket.disconnect',
  'websocket.accept',
  'websocket.send',
  'websocket.close',
  'websocket.http.response.start',
]);
// The core's phase list, so the schema cannot drift from the transition table.
const phase = z.enum(phases as [Phase, ...Phase[]]);

/** One entry of a trace (`TraceEntry` in src/sim/types.ts). */
export const traceEntrySchema = z
  .strictObject({
    i: z.int().min(0).describe('index from 0, equal to the entry position'),
    t: z.number().min(0).describe('ms since the run (or recording) started: simulated or real'),
    conn: z.string().nullable().describe('connection id, or null for run-wide entries'),
    actor: z.enum(['app', 'client', 'net', 'workload', 'design', 'harness']),
    action: z.string().min(1),
    before: socketStates.optional().describe('socket states when an app call began'),
    after: socketStates.optional().describe('socket states after the call'),
    message: asgiMessageType.optional(),
    frame: json.optional().describe('decoded data frame, or {code, reason} of a close'),
    error: z.string().optional().describe('the exact text the call raised'),
    errorKind: z.enum(['RuntimeError', 'WebSocketDisconnect', 'TimeoutError', 'Error']).optional(),
    phase: z.string().optional(),
    detail: z.record(z.string(), json).optional(),
  })
  .describe('one trace entry (a line after the header)');

/** The first line of a trace file: what wrote it and how to judge it. */
export const traceHeaderSchema = z
  .strictObject({
    format: z.literal(traceFormatName),
    version: z.literal(traceFormatVersion),
    source: z
      .enum(['simulation', 'real'])
      .describe('simulation: written by the simulator; real: recorded on a real server'),
    recorder: z.string().min(1).describe('what recorded it, e.g. "ws-lifecycle/ws" or "ws_lifecycle_asgi"'),
    design: z.strictObject({
      name: z.string().min(1),
      kind: z.enum(['reducer', 'handler']),
      phaseAliases: z.record(z.string(), phase).optional(),
    }),
    profile: z
      .enum(['ideal', 'lan', 'cloud-run', 'hostile', 'swarm'])
      .nullable()
      .describe('fault profile of a simulated run; null for a real recording'),
    config: z
      .strictObject({
        capacity: z.int().min(1),
        criticalTypes: z.array(z.string()).readonly(),
        maxInFlight: z.int().min(1),
        handshakeTimeoutMs: z.number().min(0),
        authTimeoutMs: z.number().min(0),
        prepareTimeoutMs: z.number().min(0),
        heartbeatIntervalMs: z.number().min(0),
        missedPongLimit: z.int().min(1),
        closeHandshakeTimeoutMs: z.number().min(0),
        batching: z.strictObject({ size: z.int().min(1), flushMs: z.number().min(0) }).nullable(),
      })
      .optional()
      .describe('the lifecycle configuration the run used, when it has one'),
    meta: z.record(z.string(), json).optional().describe('free-form: versions, seed, command line'),
  })
  .describe('the first line of a trace file');

/** A parsed header line. */
export type TraceHeader = z.infer<typeof traceHeaderSchema>;

/**
 * The JSON Schema of a trace file's two line kinds, as written to docs/trace.schema.json.
 * Pure.
 *
 * @example JSON.stringify(traceJsonSchema(), null, 2)
 */
export function traceJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: `ws-lifecycle trace, version ${traceFormatVersion} (JSON lines)`,
    description:
      'A trace file is JSON lines: the first line is a header, every further line an entry. ' +
      'Generated from src/check/traceFormat.ts; do not edit by hand.',
    $defs: {
      header: z.toJSONSchema(traceHeaderSchema, { target: 'draft-2020-12' }),
      entry: z.toJSONSchema(traceEntrySchema, { target: 'draft-2020-12' }),
    },
  };
}
