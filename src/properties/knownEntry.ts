/**
 * The one narrowing of a run's entries to the `TraceEntry` union (src/trace/entry.ts): a
 * run's trace is `TraceRecord`s, the wide read view, since a trace file may hold kinds the
 * union does not know. The fold driver (fold.ts) narrows each entry once and feeds the
 * checkers the union; an entry of an unknown kind reaches only the checkers that read such
 * entries (`stepOther`).
 *
 * The union's field types hold for every entry the simulation and the recorders write. A
 * trace file's entries are checked only against the reader's looser schemas
 * (traceFormat.ts, `traceEntryKindSchemas`), so a checker reads defensively, and says so,
 * a field those schemas do not require.
 */
import type { TraceEntry, TraceKind } from '../trace/entry.ts';
import type { Actor, TraceRecord } from '../trace/types.ts';

// Every kind of trace/traceKinds.ts, checked both ways by the compiler (`satisfies`: none
// missing, none extra). Kept here rather than read from `traceKindNames`, whose module
// builds zod schemas: the checkers load no zod.
const kinds = {
  'workload/open': true,
  'workload/emit': true,
  'workload/emitReturned': true,
  'workload/appClose': true,
  'workload/closeCalled': true,
  'workload/broadcast': true,
  'client/connect': true,
  'client/message': true,
  'client/close': true,
  'client/abrupt': true,
  'client/stalled': true,
  'client/received': true,
  'client/handshakeFailed': true,
  'app/accept': true,
  'app/send': true,
  'app/close': true,
  'app/receive': true,
  'app/received': true,
  'app/raised': true,
  'app/handlerStarted': true,
  'app/handlerReturned': true,
  'app/handlerRaised': true,
  'net/wire': true,
  'net/sendFailed': true,
  'net/paused': true,
  'net/resumed': true,
  'net/closeDropped': true,
  'net/sendDropped': true,
  'design/auth': true,
  'design/phase': true,
  'design/buffer': true,
  'design/outcome': true,
  'design/rejected': true,
  'design/threw': true,
  'design/error': true,
  'design/log': true,
  'design/timer': true,
  'harness/settled': true,
  'harness/unsettled': true,
  'harness/timersPending': true,
  'harness/log': true,
} as const satisfies Record<TraceKind, true>;

/** Per actor, the actions of its kinds. */
const actionsOf: Readonly<Record<string, ReadonlySet<string>>> = (() => {
  const byActor = Object.create(null) as Record<string, Set<string>>;
  for (const kind of Object.keys(kinds)) {
    const [actor, action] = kind.split('/') as [Actor, string];
    (byActor[actor] ??= new Set()).add(action);
  }
  return byActor;
})();

/**
 * `record` as a member of the `TraceEntry` union when its `actor/action` is one of the
 * union's kinds, else null. Reads only `actor` and `action` (no schema parse): cheap enough
 * for every entry of every run. Pure.
 *
 * @example asEntry({ i: 0, t: 0, conn: 'c1', actor: 'net', action: 'teleport' }) // null
 */
export function asEntry(record: TraceRecord): TraceEntry | null {
  return actionsOf[record.actor]?.has(record.action) === true ? (record as TraceEntry) : null;
}
