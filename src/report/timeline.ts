/**
 * A counterexample's timeline (src/trace/cutTimeline.ts cuts it) rendered one line per step.
 */
import type { JsonValue } from '../core/types.ts';
import type { TraceRecord } from '../trace/types.ts';
import { ownsPhase } from '../trace/cutTimeline.ts';

export { cutTimeline, ownsPhase } from '../trace/cutTimeline.ts';

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
export function describe(e: TraceRecord): string {
  const d = e.detail ?? {};
  const parts: string[] = [e.action];
  if (e.message !== undefined) parts.push(e.message);
  switch (`${e.actor}/${e.action}`) {
    case 'workload/open':
      // A real app's recording knows the user only when its request names one.
      if (d['userId'] !== undefined) parts.push(`user ${String(d['userId'])}`);
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
  entries: readonly TraceRecord[],
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
export function stepText(e: TraceRecord): string {
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
