/**
 * The readable part of a counterexample: the trace cut right after the first offending step,
 * keeping only what a reader needs (socket calls, wire, client and workload actions, phases,
 * auth, outcomes). src/report/timeline.ts renders it one line per step.
 */
import type { JsonValue } from '../core/types.ts';
import type { TraceRecord } from '../trace/types.ts';

/** Actions dropped from a timeline: bookkeeping that does not change what happened. */
const noise: ReadonlySet<string> = new Set([
  'design/buffer',
  'design/log',
  'client/received',
  'design/timer',
]);

/**
 * Entries that repeat what a neighbour already says: an emit that returned true (its wire
 * entry says it), a delivered outcome (same), the accept's own wire frame and the
 * websocket.connect the accept consumed, and a receive call that did not raise (the
 * `received` entry says what came back), a data send that did not raise (its wire entry
 * follows).
 */
function isNoise(e: TraceRecord): boolean {
  if (noise.has(`${e.actor}/${e.action}`)) return true;
  const d = e.detail;
  if (e.actor === 'workload' && e.action === 'emitReturned') return d?.['result'] === 'true';
  if (e.actor === 'design' && e.action === 'outcome') {
    const outcome = d?.['outcome'];
    const isObject = typeof outcome === 'object' && outcome !== null && !Array.isArray(outcome);
    return isObject && (outcome as { readonly [k: string]: JsonValue })['kind'] === 'delivered';
  }
  if (e.actor === 'net' && e.action === 'wire') return e.message === 'websocket.accept';
  if (e.actor === 'app' && e.action === 'received') return e.message === 'websocket.connect';
  if (e.actor === 'app' && e.action === 'receive') return e.error === undefined;
  // A data send that did not raise is followed by its wire entry, which shows the frame.
  if (e.actor === 'app' && e.action === 'send')
    return e.message === 'websocket.send' && e.error === undefined;
  return false;
}

/** An applied phase change: folded into the step that caused it rather than counted as one. */
function isAppliedPhase(e: TraceRecord): boolean {
  return e.actor === 'design' && e.action === 'phase' && e.detail?.['applied'] !== false;
}

/**
 * An emit that continues a burst (same connection, same ms, straight after another emit), or
 * a broadcast straight after another broadcast in the same ms.
 */
function isBurstOf(previous: TraceRecord, e: TraceRecord): boolean {
  const is = (x: TraceRecord, action: string): boolean => x.actor === 'workload' && x.action === action;
  if (previous.conn !== e.conn || previous.t !== e.t) return false;
  return (is(previous, 'emit') && is(e, 'emit')) || (is(previous, 'broadcast') && is(e, 'broadcast'));
}

/** Event ids a (possibly folded) workload step lists. */
function idsOf(step: TraceRecord): readonly string[] {
  const ids = step.detail?.['ids'];
  return Array.isArray(ids) ? ids.map(String) : [String(step.detail?.['eventId'])];
}

/**
 * A broadcast's copy for one connection (`workload/emit` of `<id>.<conn>`) straight after the
 * broadcast step, in the same ms: folded into that step, which lists the connections reached.
 */
function isCopyOf(previous: TraceRecord, e: TraceRecord): boolean {
  if (previous.actor !== 'workload' || previous.action !== 'broadcast') return false;
  if (e.actor !== 'workload' || e.action !== 'emit' || e.t !== previous.t) return false;
  const id = String(e.detail?.['eventId']);
  return idsOf(previous).some((b) => id.startsWith(`${b}.`));
}

function joinCopy(previous: TraceRecord, e: TraceRecord): TraceRecord {
  const to = previous.detail?.['to'];
  const reached = Array.isArray(to) ? (to as readonly JsonValue[]) : [];
  const conn = e.conn ?? '?';
  return {
    ...previous,
    detail: { ...previous.detail, to: reached.includes(conn) ? reached : [...reached, conn] },
  };
}

/** One agent event as a burst lists it: `e4 agent_thinking`, with `*` marking a critical one. */
function burstItem(e: TraceRecord): string {
  const d = e.detail ?? {};
  return `${String(d['eventId'])} ${String(d['type'])}${d['critical'] === true ? '*' : ''}`;
}

/**
 * A burst of emits (an agent emitting several events in the same ms) is one workload step:
 * the events are listed on its line, in order, so none is hidden.
 */
function joinBurst(previous: TraceRecord, e: TraceRecord): TraceRecord {
  const items = previous.detail?.['burst'];
  const listed = Array.isArray(items) ? (items as readonly JsonValue[]) : [burstItem(previous)];
  const ids = [...idsOf(previous), String(e.detail?.['eventId'])];
  return { ...previous, detail: { ...previous.detail, burst: [...listed, burstItem(e)], ids } };
}

/** Entries whose `phase` the simulation wrote itself (not a folded phase change). Pure. */
export function ownsPhase(e: TraceRecord): boolean {
  return e.actor === 'design' && (e.action === 'phase' || e.action === 'rejected' || e.action === 'timer');
}

/**
 * The steps of a counterexample: trace entries up to and including the offending one
 * (`offending[0]`), without noise; offending entries are always kept. An applied phase change
 * is not a step of its own: it is folded into the latest kept step of its connection, whose
 * copy carries `phase` (the phase after it), so the reader still sees every phase. Pure.
 *
 * @param offending a verdict's `steps`: the offending entry first, then the entries that
 *   make it offending (e.g. an earlier close), then first steps of later violations.
 * @returns the kept entries in trace order; its length is what reports call "steps".
 * @example
 * cutTimeline(run.trace, verdict.steps).length; // e.g. 7
 */
export function cutTimeline(trace: readonly TraceRecord[], offending: readonly number[]): TraceRecord[] {
  const keep = new Set(offending);
  const first = offending[0] ?? trace.length - 1;
  const steps: TraceRecord[] = [];
  const lastStepOf = new Map<string | null, number>();
  for (const e of trace) {
    if (e.i > first) break;
    const kept = keep.has(e.i);
    const owner = lastStepOf.get(e.conn);
    if (!kept && isAppliedPhase(e) && owner !== undefined) {
      const step = steps[owner];
      if (step !== undefined) steps[owner] = { ...step, phase: String(e.detail?.['to']) };
      continue;
    }
    if (!kept && isNoise(e)) continue;
    const previous = steps[steps.length - 1];
    if (!kept && previous !== undefined && !keep.has(previous.i) && isBurstOf(previous, e)) {
      steps[steps.length - 1] = joinBurst(previous, e);
      continue;
    }
    // Copies may follow a folded broadcast burst, so the step may hold several broadcasts.
    const broadcastStep = [...steps].reverse().find((x) => x.t === e.t && x.action === 'broadcast');
    if (
      !kept &&
      broadcastStep !== undefined &&
      steps[steps.length - 1] === broadcastStep &&
      isCopyOf(broadcastStep, e)
    ) {
      steps[steps.length - 1] = joinCopy(broadcastStep, e);
      continue;
    }
    lastStepOf.set(e.conn, steps.length);
    steps.push(e);
  }
  return steps;
}
