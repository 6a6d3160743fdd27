/**
 * The trace file format (docs/trace.md): JSON lines, a header line then one `TraceEntry` per
 * line, described by zod schemas. docs/trace.schema.json is generated from these schemas
 * (`traceJsonSchema`), and a test keeps the two equal.
 */
import { z } from 'zod';
import { phases } from '../core/transitions.ts';
import type { Phase } from '../core/types.ts';
import { traceKindNames, traceKinds } from './traceKinds.ts';

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

/**
 * One entry of a trace file, as the reader takes it (`TraceRecord` in src/trace/types.ts):
 * any action, each field typed. `traceKinds` (traceKinds.ts) has each kind's exact fields.
 */
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
    errorKind: z
      .enum(['RuntimeError', 'WebSocketDisconnect', 'TimeoutError', 'Error'])
      .optional()
      .describe('the kind of what was raised; the class of any other exception is in detail.exception'),
    phase: z.string().optional(),
    detail: z.record(z.string(), json).optional(),
  })
  .describe('one trace entry (a line after the header)');

const eventId = z.string().min(1).describe('names one emit (or one broadcast) in the run');
const eventDetail = z.looseObject({ eventId, type: z.string(), critical: z.boolean() });
const clientClose = z.looseObject({ code: z.int().optional() });
const closeRequest = z.looseObject({ code: z.int().optional(), reason: z.string().optional() });
const outcome = z.discriminatedUnion('kind', [
  z.looseObject({ kind: z.literal('delivered'), seq: z.number() }),
  z.looseObject({ kind: z.enum(['dropped', 'refused', 'undeliverable']), reason: z.string() }),
]);

/**
 * What the checkers read from an entry of each kind (`actor/action`), beyond
 * `traceEntrySchema`: its `detail` fields (extra fields are allowed) or, for `net/wire`, its
 * ASGI message type. A kind not listed is read only through `traceEntrySchema`'s fields.
 */
export const traceEntryKindSchemas: Readonly<Record<string, z.ZodType>> = {
  'workload/open': z.looseObject({ detail: z.looseObject({ userId: z.string().optional() }).optional() }),
  'workload/emit': z.looseObject({ detail: eventDetail }),
  'workload/broadcast': z.looseObject({ detail: eventDetail }),
  'workload/emitReturned': z.looseObject({
    detail: z.looseObject({
      eventId,
      result: z.enum(['true', 'false', 'threw']),
      error: z.string().optional(),
    }),
  }),
  'workload/appClose': z.looseObject({ detail: closeRequest.optional() }),
  'workload/closeCalled': z.looseObject({ detail: closeRequest.optional() }),
  'client/close': z.looseObject({ detail: clientClose.optional() }),
  'client/abrupt': z.looseObject({ detail: clientClose.optional() }),
  'design/outcome': z.looseObject({ detail: z.looseObject({ eventId, outcome }) }),
  'design/auth': z.looseObject({
    detail: z.looseObject({ ok: z.boolean(), userId: z.string().optional() }),
  }),
  'design/phase': z.looseObject({
    detail: z.looseObject({
      machine: z.string().optional(),
      from: z.string(),
      to: z.string(),
      applied: z.boolean().optional(),
    }),
  }),
  'design/buffer': z.looseObject({
    detail: z.looseObject({
      size: z.number().min(0),
      capacity: z.number().min(0).nullable().optional().describe('null or absent: unbounded'),
    }),
  }),
  'design/timer': z.looseObject({
    detail: z.looseObject({
      op: z.enum(['set', 'cancelled', 'fired']),
      name: z.string(),
      ms: z.number().min(0).optional(),
    }),
  }),
  'harness/settled': z.looseObject({ detail: z.looseObject({ phases: z.record(z.string(), z.string()) }) }),
  'harness/unsettled': z.looseObject({ detail: z.looseObject({ reason: z.string() }).optional() }),
  'harness/timersPending': z.looseObject({
    detail: z.looseObject({ count: z.int().min(0), names: z.array(z.string()) }),
  }),
  'net/wire': z.looseObject({ message: asgiMessageType }),
  'net/closeDropped': z.looseObject({ message: z.literal('websocket.close') }),
  'net/sendDropped': z.looseObject({ message: asgiMessageType }),
  'app/handlerRaised': z.looseObject({
    error: z.string(),
    errorKind: z.enum(['RuntimeError', 'WebSocketDisconnect', 'TimeoutError', 'Error']),
    detail: z.looseObject({
      exception: z.string().min(1).describe('module.Class of the exception'),
      raisedBy: z.int().min(0).nullable().describe('i of the recorded call that raised it, or null'),
    }),
  }),
};

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
      'An entry whose actor/action is a key of entryKinds must match that schema too. ' +
      'kinds: the exact fields of every entry kind the simulation and the recorders of this ' +
      'package write, one schema per actor/action (extra fields refused). ' +
      'Generated from src/trace/traceFormat.ts; do not edit by hand.',
    $defs: {
      header: z.toJSONSchema(traceHeaderSchema, { target: 'draft-2020-12' }),
      entry: z.toJSONSchema(traceEntrySchema, { target: 'draft-2020-12' }),
      entryKinds: Object.fromEntries(
        Object.entries(traceEntryKindSchemas).map(([kind, schema]) => [
          kind,
          z.toJSONSchema(schema, { target: 'draft-2020-12' }),
        ]),
      ),
      kinds: Object.fromEntries(
        traceKindNames.map((kind) => [kind, z.toJSONSchema(traceKinds[kind], { target: 'draft-2020-12' })]),
      ),
    },
  };
}
