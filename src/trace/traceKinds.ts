/**
 * Every kind of trace entry (docs/trace.md), one zod schema per `actor/action` pair with
 * exactly the fields an entry of that kind has: the one table the `TraceEntry` union
 * (trace/types.ts, `z.output` of each schema), the `kinds` of docs/trace.schema.json and the
 * tables of docs/trace.md (a test keeps them equal) derive from.
 */
import { z } from 'zod';
import type { JsonValue } from '../core/types.ts';

// z.json() accepts exactly the core's JsonValue; its own static type has mutable arrays, so
// a writer's `readonly` frame would not fit it.
const json = z.json() as unknown as z.ZodType<JsonValue>;
const webSocketState = z.enum(['CONNECTING', 'CONNECTED', 'DISCONNECTED', 'RESPONSE']);
const socketStates = z.strictObject({ client: webSocketState, app: webSocketState });
const asgiType = z.enum([
  'websocket.connect',
  'websocket.receive',
  'websocket.disconnect',
  'websocket.accept',
  'websocket.send',
  'websocket.close',
  'websocket.http.response.start',
  'websocket.http.response.body',
]);
const errorKind = z.enum(['RuntimeError', 'WebSocketDisconnect', 'TimeoutError', 'Error']);
const count = z.int().min(0);
const eventId = z.string().min(1).describe('names one emit (or one broadcast) in the run');
const eventDetail = { eventId, type: z.string(), critical: z.boolean() };
const closeRequest = z.strictObject({ code: z.int(), reason: z.string() });
const phases = z.record(z.string(), z.string()).describe('every connection and its final phase');
const log = { level: z.string(), message: z.string() };
/** The class of a recorded exception, `module.Class` or the bare class name. */
const exception = z.string().min(1);
/** A client entry's own clock when the simulation skews it (`clockSkewMs`). */
const clientMs = z.number().optional();
const outcome = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('delivered'), seq: z.number() }),
  z.strictObject({ kind: z.literal('dropped'), reason: z.literal('overflow') }),
  z.strictObject({ kind: z.literal('refused'), reason: z.enum(['backpressure', 'closed', 'invalid']) }),
  z.strictObject({ kind: z.literal('undeliverable'), reason: z.enum(['closed', 'authFailed']) }),
]);

/** An ASGI send by the app (`app/accept`, `app/send`, `app/close`): written at call time. */
const socketCall = {
  message: asgiType,
  before: socketStates,
  after: socketStates,
  frame: json.optional().describe('data: the JSON-decoded text, else the text; close: {code, reason}'),
  error: z.string().optional().describe('the exact text the call raised'),
  errorKind: errorKind.optional(),
  detail: z.strictObject({ exception: exception.optional() }).optional(),
};

/**
 * The fields of each kind beyond `i`, `t`, `conn`, `actor` and `action`. Keys are
 * `actor/action`; `traceKinds` turns each into the strict schema of a whole entry.
 */
const kindFields = {
  'workload/open': {
    detail: z.strictObject({ userId: z.string().optional(), remote: z.string().optional() }).optional(),
  },
  'workload/emit': {
    detail: z.strictObject({
      ...eventDetail,
      text: z.string().optional().describe('real recorders: the frame text the event becomes'),
    }),
  },
  'workload/emitReturned': {
    detail: z.strictObject({
      eventId,
      result: z.enum(['true', 'false', 'threw']),
      error: z.string().optional(),
    }),
  },
  'workload/appClose': { detail: closeRequest },
  'workload/closeCalled': { detail: closeRequest },
  'workload/broadcast': { detail: z.strictObject(eventDetail) },

  'client/connect': { detail: z.strictObject({ clientMs }).optional() },
  'client/message': {
    detail: z.strictObject({
      text: z.string().optional(),
      bytes: count.optional(),
      binary: z.boolean().optional(),
      clientMs,
    }),
  },
  'client/close': { detail: z.strictObject({ code: z.int(), echo: z.boolean().optional(), clientMs }) },
  'client/abrupt': {
    detail: z
      .strictObject({ code: z.int().optional(), cause: z.literal('sendFailure').optional(), clientMs })
      .optional(),
  },
  'client/stalled': { detail: z.strictObject({ ms: z.number().min(0), clientMs }) },
  'client/received': {
    message: asgiType,
    frame: json.optional(),
    detail: z.strictObject({ status: z.int().optional(), clientMs }).optional(),
  },
  'client/handshakeFailed': { detail: z.strictObject({ error: z.string() }) },

  'app/accept': socketCall,
  'app/send': socketCall,
  'app/close': socketCall,
  'app/receive': {
    before: socketStates,
    error: z.string().optional(),
    errorKind: errorKind.optional(),
    detail: z.strictObject({ call: z.string().optional(), exception: exception.optional() }).optional(),
  },
  'app/received': {
    message: asgiType,
    frame: json.optional(),
    after: socketStates,
    error: z.string().optional(),
    errorKind: errorKind.optional(),
    detail: z.strictObject({ code: z.int().optional() }).optional(),
  },
  'app/raised': { error: z.string(), errorKind, detail: z.strictObject({ exception }) },
  'app/handlerStarted': {},
  'app/handlerReturned': {},
  'app/handlerRaised': {
    error: z.string(),
    errorKind,
    detail: z.strictObject({
      exception: exception.describe('module.Class of the exception'),
      raisedBy: z.int().min(0).nullable().describe('i of the recorded call that raised it, or null'),
    }),
  },

  'net/wire': {
    message: asgiType,
    frame: json.optional(),
    detail: z.strictObject({ status: z.int().optional(), verified: z.boolean().optional() }).optional(),
  },
  'net/sendFailed': {
    message: asgiType.optional(),
    error: z.string(),
    errorKind: errorKind.optional(),
    detail: z.strictObject({ exception }).optional(),
  },
  'net/paused': { detail: z.strictObject({ unread: count }) },
  'net/resumed': { detail: z.strictObject({ unread: count }) },
  'net/closeDropped': {
    message: z.literal('websocket.close'),
    detail: z.strictObject({
      state: z.string(),
      closeSentBefore: z.boolean(),
      transportClosing: z.boolean(),
    }),
  },
  'net/sendDropped': {
    message: asgiType,
    detail: z.strictObject({ state: z.string(), transportClosing: z.boolean() }),
  },

  'design/auth': {
    detail: z.strictObject({ ok: z.boolean(), userId: z.string().optional(), reason: z.string().optional() }),
  },
  'design/phase': {
    phase: z.string(),
    detail: z.strictObject({ machine: z.string(), from: z.string(), to: z.string(), applied: z.boolean() }),
  },
  'design/buffer': {
    detail: z.strictObject({
      size: count,
      capacity: count.nullable().optional().describe('null or absent: unbounded'),
    }),
  },
  'design/outcome': { detail: z.strictObject({ eventId, outcome }) },
  'design/rejected': {
    phase: z.string(),
    detail: z.strictObject({ input: z.string(), phase: z.string(), reason: z.string() }),
  },
  'design/threw': { detail: z.strictObject({ input: z.string(), phase: z.string(), error: z.string() }) },
  'design/error': {
    phase: z.string().optional(),
    detail: z.strictObject({ where: z.string(), error: z.string(), input: z.string().optional() }),
  },
  'design/log': {
    errorKind: errorKind.optional(),
    detail: z.strictObject({ ...log, logger: z.string().optional(), exception: exception.optional() }),
  },
  'design/timer': {
    phase: z.string(),
    detail: z.strictObject({
      op: z.enum(['set', 'cancelled', 'fired']),
      name: z.string(),
      ms: z.number().min(0).optional(),
    }),
  },

  'harness/settled': { detail: z.strictObject({ phases }) },
  'harness/unsettled': {
    detail: z.strictObject({
      reason: z.string(),
      phases: phases.optional(),
      aborted: z.string().optional().describe('why the run was aborted'),
      culprit: z.string().nullable().optional().describe('the connection that caused the abort'),
    }),
  },
  'harness/timersPending': { detail: z.strictObject({ count, names: z.array(z.string()) }) },
  'harness/log': { detail: z.strictObject(log) },
} satisfies Record<string, z.ZodRawShape>;

/** The name of an entry kind: `actor/action`. */
export type TraceKind = keyof typeof kindFields;

type ActorOf<K extends string> = K extends `${infer A}/${string}` ? A : never;
type ActionOf<K extends string> = K extends `${string}/${infer B}` ? B : never;

/** The fields of a whole entry of kind `K`. */
type KindShape<K extends TraceKind> = {
  i: z.ZodInt;
  t: z.ZodNumber;
  conn: z.ZodNullable<z.ZodString>;
  actor: z.ZodLiteral<ActorOf<K>>;
  action: z.ZodLiteral<ActionOf<K>>;
} & (typeof kindFields)[K];

/** The whole-entry schema of kind `K`. */
export type TraceKindSchema<K extends TraceKind> =
  KindShape<K> extends infer S extends z.core.$ZodShape ? z.ZodObject<S, z.core.$strict> : never;

const envelope = {
  i: z.int().min(0).describe('index from 0, equal to the entry position'),
  t: z.number().min(0).describe('ms since the run (or recording) started: simulated or real'),
  conn: z.string().nullable().describe('connection id, or null for run-wide entries'),
};

function kindSchema<K extends TraceKind>(kind: K): TraceKindSchema<K> {
  const [actor, action] = kind.split('/') as [ActorOf<K>, ActionOf<K>];
  return z.strictObject({
    ...envelope,
    actor: z.literal(actor),
    action: z.literal(action),
    ...kindFields[kind],
  }) as unknown as TraceKindSchema<K>;
}

/** Every entry kind, in the order of docs/trace.md. */
export const traceKindNames = Object.keys(kindFields) as readonly TraceKind[];

/**
 * The strict schema of each kind's entries: exactly its fields, extra ones refused.
 *
 * @example traceKinds['net/wire'].safeParse(entry).success
 */
export const traceKinds: { readonly [K in TraceKind]: TraceKindSchema<K> } = Object.fromEntries(
  traceKindNames.map((kind) => [kind, kindSchema(kind)]),
) as { readonly [K in TraceKind]: TraceKindSchema<K> };

/**
 * The kind of an entry when it is one of `traceKinds`, else undefined. Pure.
 *
 * @example traceKindOf({ actor: 'net', action: 'wire' }) // 'net/wire'
 */
export function traceKindOf(entry: {
  readonly actor: string;
  readonly action: string;
}): TraceKind | undefined {
  const kind = `${entry.actor}/${entry.action}`;
  return Object.hasOwn(kindFields, kind) ? (kind as TraceKind) : undefined;
}

/**
 * Why `value` is not an entry of one of `traceKinds` (unknown kind, or the first field its
 * kind's schema refuses), or undefined when it is one. Pure.
 *
 * @example traceKindIssue({ i: 0, t: 0, conn: 'c1', actor: 'net', action: 'wire' }) // 'net/wire: message: ...'
 */
export function traceKindIssue(value: unknown): string | undefined {
  const entry = (typeof value === 'object' && value !== null ? value : {}) as {
    actor?: unknown;
    action?: unknown;
  };
  const named = { actor: String(entry.actor), action: String(entry.action) };
  const kind = traceKindOf(named);
  if (kind === undefined) return `${named.actor}/${named.action}: not an entry kind`;
  const schema: z.ZodType = traceKinds[kind];
  const parsed = schema.safeParse(value);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  return `${kind}: ${issue === undefined ? 'invalid' : `${issue.path.map(String).join('.')}: ${issue.message}`}`;
}

/**
 * `traceKindIssue` of every entry line of a trace file's text (the header and blank lines
 * skipped), each prefixed with its line number. Pure; for tests that a recorder writes only
 * entries of `traceKinds`.
 *
 * @example expect(traceFileKindIssues(readFileSync('run.jsonl', 'utf8'))).toEqual([]);
 */
export function traceFileKindIssues(text: string): string[] {
  const lines = text.split('\n');
  const issues: string[] = [];
  for (let k = 1; k < lines.length; k++) {
    const line = (lines[k] as string).trim();
    const issue = line === '' ? undefined : traceKindIssue(JSON.parse(line));
    if (issue !== undefined) issues.push(`line ${k + 1}: ${issue}`);
  }
  return issues;
}
