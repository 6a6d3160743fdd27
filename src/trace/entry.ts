/**
 * The trace entry as a union (docs/trace.md): one member per kind of `traceKinds`
 * (trace/traceKinds.ts), each the `z.output` of its kind's schema, so the type, the JSON
 * Schema and the docs' tables cannot drift apart. Writers write members; readers narrow on
 * `actor` and `action` (or read through `TraceRecord`, trace/types.ts, which every member is).
 *
 * Types only.
 */
import type { z } from 'zod';
import type { TraceKind, TraceKindSchema } from './traceKinds.ts';

export type { TraceKind } from './traceKinds.ts';

/**
 * An entry of kind `K` (`actor/action`, `traceKinds` in src/trace/traceKinds.ts): exactly
 * its fields, its `detail` typed with exactly its keys.
 */
export type EntryOf<K extends TraceKind> = Readonly<z.output<TraceKindSchema<K>>>;

/**
 * One observable step of a run: a union discriminated by `actor` and `action` (narrow on
 * both, e.g. `e.actor === 'net' && e.action === 'wire'`), one member per kind of
 * docs/trace.md.
 */
export type TraceEntry = { [K in TraceKind]: EntryOf<K> }[TraceKind];

export type WorkloadOpen = EntryOf<'workload/open'>;
export type WorkloadEmit = EntryOf<'workload/emit'>;
export type WorkloadEmitReturned = EntryOf<'workload/emitReturned'>;
export type WorkloadAppClose = EntryOf<'workload/appClose'>;
export type WorkloadCloseCalled = EntryOf<'workload/closeCalled'>;
export type WorkloadBroadcast = EntryOf<'workload/broadcast'>;
export type ClientConnect = EntryOf<'client/connect'>;
export type ClientMessage = EntryOf<'client/message'>;
export type ClientClose = EntryOf<'client/close'>;
export type ClientAbrupt = EntryOf<'client/abrupt'>;
export type ClientStalled = EntryOf<'client/stalled'>;
export type ClientReceived = EntryOf<'client/received'>;
export type ClientHandshakeFailed = EntryOf<'client/handshakeFailed'>;
export type AppAccept = EntryOf<'app/accept'>;
export type AppSend = EntryOf<'app/send'>;
export type AppClose = EntryOf<'app/close'>;
export type AppReceive = EntryOf<'app/receive'>;
export type AppReceived = EntryOf<'app/received'>;
export type AppRaised = EntryOf<'app/raised'>;
export type AppHandlerStarted = EntryOf<'app/handlerStarted'>;
export type AppHandlerReturned = EntryOf<'app/handlerReturned'>;
export type AppHandlerRaised = EntryOf<'app/handlerRaised'>;
export type NetWire = EntryOf<'net/wire'>;
export type NetSendFailed = EntryOf<'net/sendFailed'>;
export type NetPaused = EntryOf<'net/paused'>;
export type NetResumed = EntryOf<'net/resumed'>;
export type NetCloseDropped = EntryOf<'net/closeDropped'>;
export type NetSendDropped = EntryOf<'net/sendDropped'>;
export type DesignAuth = EntryOf<'design/auth'>;
export type DesignPhase = EntryOf<'design/phase'>;
export type DesignBuffer = EntryOf<'design/buffer'>;
export type DesignOutcome = EntryOf<'design/outcome'>;
export type DesignRejected = EntryOf<'design/rejected'>;
export type DesignThrew = EntryOf<'design/threw'>;
export type DesignError = EntryOf<'design/error'>;
export type DesignLog = EntryOf<'design/log'>;
export type DesignTimer = EntryOf<'design/timer'>;
export type HarnessSettled = EntryOf<'harness/settled'>;
export type HarnessUnsettled = EntryOf<'harness/unsettled'>;
export type HarnessTimersPending = EntryOf<'harness/timersPending'>;
export type HarnessLog = EntryOf<'harness/log'>;

/** The member of `TraceEntry` minus what a recorder stamps (`i`, `t`), for each kind. */
export type TraceDraft = TraceEntry extends infer E
  ? E extends TraceEntry
    ? Omit<E, 'i' | 't'>
    : never
  : never;
