/**
 * One drive run's part of a live server's trace file: the entries appended while the run
 * played, as a trace file of its own (the file's header, entries re-numbered from 0) that
 * check-trace's parser and checkers read unchanged.
 */
import type { JsonValue } from '../core/types.ts';
import { maxJsonDepth, tooDeepLine } from '../trace/jsonDepth.ts';

/** A run's slice, ready for `parseTraceFile`. */
export interface TraceSlice {
  /** The header line and the kept entries, re-numbered, one JSON line each. */
  readonly text: string;
  /** Entries kept. */
  readonly entries: number;
  /** Entries of connections an earlier run already saw (written late), left out. */
  readonly lateEntries: number;
  /** Connection ids (the server's) first seen in this slice. */
  readonly conns: readonly string[];
  /** `i` in the server's file of the first kept entry (re-numbered 0), or null when none. */
  readonly firstIndex: number | null;
}

/** A line of the appended text is not a JSON object; `line` counts from 1 within the slice. */
export class TraceSliceError extends Error {
  override readonly name = 'TraceSliceError';
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line} of the run's part of the trace: ${reason}`);
  }
}

type Entry = { [k: string]: JsonValue };

function isObject(v: unknown): v is Entry {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The slice of the entries in `appended` (complete JSON lines written after the run began).
 * Entries of a connection in `earlierConns` are left out (a handler of an earlier run that
 * wrote after its run was judged); every other entry keeps its connection id, gets `i` from
 * 0 in order, and an entry reference (`detail.raisedBy`) is mapped by the same re-numbering,
 * or becomes null with `detail.raisedByOutsideRun` = the server's `i` when it names an entry
 * outside the slice. Pure.
 *
 * @throws TraceSliceError when a non-blank line is not a JSON object.
 * @example
 * sliceTrace(headerLine, '{"i":40,"t":1,"conn":"c9","actor":"client","action":"connect"}\n', new Set());
 */
export function sliceTrace(
  headerLine: string,
  appended: string,
  earlierConns: ReadonlySet<string>,
): TraceSlice {
  const kept: Entry[] = [];
  const renumber = new Map<number, number>();
  const conns: string[] = [];
  let lateEntries = 0;
  let firstIndex: number | null = null;
  const lines = appended.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const line = (lines[k] as string).trim();
    if (line === '') continue;
    // The limit parseTraceFile applies, before JSON.parse can overflow the stack.
    if (tooDeepLine(line) !== undefined)
      throw new TraceSliceError(k + 1, `nested deeper than ${maxJsonDepth} levels`);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new TraceSliceError(k + 1, `not JSON (${(error as Error).message})`);
    }
    if (!isObject(value)) throw new TraceSliceError(k + 1, 'not a JSON object');
    const conn = value['conn'];
    if (typeof conn === 'string' && earlierConns.has(conn)) {
      lateEntries++;
      continue;
    }
    if (typeof conn === 'string' && !conns.includes(conn)) conns.push(conn);
    const old = value['i'];
    if (typeof old === 'number') {
      renumber.set(old, kept.length);
      firstIndex ??= old;
    }
    kept.push({ ...value, i: kept.length });
  }
  const entries = kept.map((e) => {
    const detail = e['detail'];
    if (!isObject(detail) || typeof detail['raisedBy'] !== 'number') return e;
    const by = renumber.get(detail['raisedBy']);
    const mapped =
      by === undefined ? { raisedBy: null, raisedByOutsideRun: detail['raisedBy'] } : { raisedBy: by };
    return { ...e, detail: { ...detail, ...mapped } };
  });
  const text = [headerLine.trim(), ...entries.map((e) => JSON.stringify(e))].map((l) => `${l}\n`).join('');
  return { text, entries: entries.length, lateEntries, conns, firstIndex };
}
