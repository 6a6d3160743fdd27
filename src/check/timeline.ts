/**
 * The readable part of a counterexample: the trace cut right after the first offending step,
 * keeping only what a reader needs (socket calls, wire, client and workload actions, phases,
 * auth, outcomes), rendered one line per step.
 */
import type { JsonValue } from '../core/types.ts';
import type { TraceEntry } from '../sim/types.ts';

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
function isNoise(e: TraceEntry): boolean {
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
function isAppliedPhase(e: TraceEntry): boolean {
  return e.actor === 'design' && e.action === 'phase' && e.detail?.['applied'] !== false;
}

/**
 * An emit that continues a burst (same connection, same ms, straight after another emit), or
 * a broadcast straight after another broadcast in the same ms.
 */
function isBurstOf(previous: TraceEntry, e: TraceEntry): boolean {
  const is = (x: TraceEntry, action: string): boolean => x.actor === 'workload' && x.action === action;
  if (previous.conn !== e.conn || previous.t !== e.t) return false;
  return (is(previous, 'emit') && is(e, 'emit')) || (is(previous, 'broadcast') && is(e, 'broadcast'));
}

/** Event ids a (possibly folded) workload step lists. */
function idsOf(step: TraceEntry): readonly string[] {
  const ids = step.detail?.['ids'];
  return Array.isArray(ids) ? ids.map(String) : [String(step.detail?.['eventId'])];
}

/**
 * A broadcast's copy for one connection (`workload/emit` of `<id>.<conn>`) straight after the
 * broadcast step, in the same ms: folded into that step, which lists the connections reached.
 */
function isCopyOf(previous: TraceEntry, e: TraceEntry): boolean {
  if (previous.actor !== 'workload' || previous.action !== 'broadcast') return false;
  if (e.actor !== 'workload' || e.action !== 'emit' || e.t !== previous.t) return false;
  const id = String(e.detail?.['eventId']);
  return idsOf(previous).some((b) => id.startsWith(`${b}.`));
}

function joinCopy(previous: TraceEntry, e: TraceEntry): TraceEntry {
  const to = previous.detail?.['to'];
  const reached = Array.isArray(to) ? (to as readonly JsonValue[]) : [];
  const conn = e.conn ?? '?';
  return {
    ...previous,
    detail: { ...previous.detail, to: reached.includes(conn) ? reached : [...reached, conn] },
  };
}

/** One agent event as a burst lists it: `e4 agent_thinking`, with `*` marking a critical one. */
function burstItem(e: TraceEntry): string {
  const d = e.detail ?? {};
  return `${String(d['eventId'])} ${String(d['type'])}${d['critical'] === true ? '*' : ''}`;
}

/**
 * A burst of emits (an agent emitting several events in the same ms) is one workload step:
 * the events are listed on its line, in order, so none is hidden.
 */
function joinBurst(previous: TraceEntry, e: TraceEntry): TraceEntry {
  const items = previous.detail?.['burst'];
  const listed = Array.isArray(items) ? (items as readonly JsonValue[]) : [burstItem(previous)];
  const ids = [...idsOf(previous), String(e.detail?.['eventId'])];
  return { ...previous, detail: { ...previous.detail, burst: [...listed, burstItem(e)], ids } };
}

/** Entries whose `phase` the simulation wrote itself (not a folded phase change). Pure. */
export function ownsPhase(e: TraceEntry): boolean {
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
export function cutTimeline(trace: readonly TraceEntry[], offending: readonly number[]): TraceEntry[] {
  const keep = new Set(offending);
  const first = offending[0] ?? trace.length - 1;
  const steps: TraceEntry[] = [];
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

/** Event ids (with seq where the frame carries one) found at any depth of a frame. */
function eventsIn(v: JsonValue | undefined, out: string[], seq?: number): void {
  if (v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (const x of v as readonly JsonValue[]) eventsIn(x, out);
    return;
  }
  const o = v as { readonly [k: string]: JsonValue };
  const ownSeq = typeof o['seq'] === 'number' ? o['seq'] : seq;
  const id = o['eventId'] ?? (typeof o['type'] === 'string' ? o['id'] : undefined);
  if (typeof id === 'string') {
    out.push(ownSeq === undefined ? id : `${id}#${ownSeq}`);
    return;
  }
  for (const x of Object.values(o)) eventsIn(x, out, ownSeq);
}

/** A frame as a reader wants it: the events it carries (`e2#1` = event e2 with seq 1), else short JSON. */
function frameText(v: JsonValue | undefined): string {
  const events: string[] = [];
  eventsIn(v, events);
  return events.length > 0 ? `[${events.join(' ')}]` : short(v);
}

function short(v: JsonValue | undefined): string {
  if (v === undefined) return '';
  const text = JSON.stringify(v);
  return text.length > 72 ? `${text.slice(0, 69)}...` : text;
}

/** What a step did, as its timeline line says it (after the actor column). Pure. */
export function describe(e: TraceEntry): string {
  const d = e.detail ?? {};
  const parts: string[] = [e.action];
  if (e.message !== undefined) parts.push(e.message);
  switch (`${e.actor}/${e.action}`) {
    case 'workload/open':
      parts.push(`user ${String(d['userId'])}`);
      break;
    case 'workload/emit':
    case 'workload/broadcast': {
      const burst = d['burst'];
      parts.push(
        Array.isArray(burst)
          ? `burst of ${burst.length} (* critical): ${(burst as readonly JsonValue[]).map(String).join(', ')}`
          : `${String(d['eventId'])} ${String(d['type'])}${d['critical'] === true ? ' (critical)' : ''}`,
      );
      const to = d['to'];
      if (Array.isArray(to)) parts.push(`-> ${(to as readonly JsonValue[]).map(String).join(', ')}`);
      break;
    }
    case 'workload/emitReturned':
      parts.push(`${String(d['eventId'])} -> ${String(d['result'])}`);
      break;
    case 'workload/appClose':
    case 'workload/closeCalled':
    case 'client/close':
      parts.push(`code ${String(d['code'])}${d['reason'] ? ` ${short(d['reason'])}` : ''}`);
      break;
    case 'design/phase':
      parts.push(
        `${String(d['machine'])} ${String(d['from'])}->${String(d['to'])}${d['applied'] === false ? ' (not applied)' : ''}`,
      );
      break;
    case 'design/auth':
      parts.push(d['ok'] === true ? 'ok' : 'failed');
      break;
    case 'design/outcome':
      parts.push(`${String(d['eventId'])} ${short(d['outcome'])}`);
      break;
    case 'design/timer': {
      // The entry's phase is the phase the timer was armed, cancelled or fired in.
      const ms = typeof d['ms'] === 'number' ? ` ${d['ms']}ms` : '';
      parts.push(`${String(d['name'])} ${String(d['op'])}${ms} in ${e.phase ?? '?'}`);
      break;
    }
    default:
      if (e.frame !== undefined) parts.push(frameText(e.frame));
      else if (e.actor === 'harness' || e.actor === 'design') parts.push(short(e.detail));
  }
  if (e.before !== undefined && e.actor === 'app') {
    const after = e.after ?? e.before;
    parts.push(` app ${e.before.app}->${after.app}`);
  }
  return parts.join(' ');
}

/** Options of `renderTimeline`. */
export interface TimelineOptions {
  /**
   * Wrap rows wider than this at spaces, continuing under the description column (or 6
   * spaces in, when that leaves under 40 columns); default: no wrapping (one line per step).
   */
  readonly columns?: number;
}

/** `text` cut at spaces into pieces of at most `width` (a longer word is cut too). Pure. */
function pieces(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (let word of text.split(' ')) {
    while (word.length > width) {
      if (line !== '') out.push(line.trimEnd());
      out.push(word.slice(0, width));
      word = word.slice(width);
      line = '';
    }
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(line.trimEnd());
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  out.push(line.trimEnd());
  return out;
}

/**
 * Renders timeline entries one per line, e.g.
 * `>  7 t=75ms  c1  app      send websocket.send  app CONNECTING->CONNECTING  ! RuntimeError: ...`:
 * the offending mark (`>`), the step's trace index (what messages call "step 7"), simulated
 * time, connection, actor, what happened. Pure.
 *
 * @example
 * renderTimeline(cutTimeline(trace, verdict.steps), verdict.steps, { columns: 80 });
 */
export function renderTimeline(
  entries: readonly TraceEntry[],
  offending: readonly number[] = [],
  options: TimelineOptions = {},
): string {
  const marked = new Set(offending);
  const indexWidth = Math.max(1, ...entries.map((e) => String(e.i).length));
  return entries
    .map((e) =>
      stepLine(
        { i: e.i, t: e.t, conn: e.conn, actor: e.actor, text: stepText(e), offending: marked.has(e.i) },
        indexWidth,
        options.columns,
      ),
    )
    .join('\n');
}

/**
 * What a timeline line says of an entry after its time, connection and actor columns: the
 * action with its details, then `=> phase` (the phase after it) and `! Kind: error`. Pure.
 *
 * @example
 * stepText(entry); // 'send websocket.send  app CONNECTING->CONNECTING  ! RuntimeError: ...'
 */
export function stepText(e: TraceEntry): string {
  const error = e.error !== undefined ? `  ! ${e.errorKind ?? 'Error'}: ${e.error}` : '';
  const phase = e.phase !== undefined && !ownsPhase(e) ? `  => ${e.phase}` : '';
  return `${describe(e)}${phase}${error}`;
}

/**
 * One timeline line in the columns of the text report: `>` for an offending step, the step's
 * trace index (padded to `indexWidth`), the time, the connection, the actor and the step's
 * text; wrapped at spaces when wider than `columns` (continuing under the text column, or 6
 * spaces in when that leaves under 40 columns). Pure.
 *
 * @example
 * stepLine({ i: 0, t: 0, conn: 'c1', actor: 'workload', text: 'open user u1', offending: false });
 */
export function stepLine(
  step: {
    readonly i: number;
    readonly t: number;
    readonly conn: string | null;
    readonly actor: string;
    readonly text: string;
    readonly offending: boolean;
  },
  indexWidth = String(step.i).length,
  columns?: number,
): string {
  const mark = step.offending ? '>' : ' ';
  const index = String(step.i).padStart(indexWidth);
  const time = `t=${step.t}ms`.padEnd(9);
  const conn = (step.conn ?? '-').padEnd(3);
  const head = `${mark} ${index} ${time} ${conn} ${step.actor.padEnd(8)} `;
  const body = step.text;
  if (columns === undefined || head.length + body.length <= columns) return head + body;
  const indent = columns - head.length >= 40 ? head.length : 6;
  // The first piece fills the row, the rest continue under it.
  const first = pieces(body, columns - head.length)[0] ?? '';
  const remaining = body.slice(first.length).trimStart();
  const more = remaining === '' ? [] : pieces(remaining, columns - indent);
  return [head + first, ...more.map((l) => ' '.repeat(indent) + l)].join('\n');
}
