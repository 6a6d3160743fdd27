/**
 * Reading and writing trace files (docs/trace.md, "Trace files"): a header line, then one
 * entry per line, validated against the schemas of traceFormat.ts.
 */
import { defaultConfig } from '../core/state.ts';
import type { LifecycleConfig } from '../core/types.ts';
import type { RunResult, TraceRecord } from '../trace/types.ts';
import { maxJsonDepth, tooDeepLine } from './jsonDepth.ts';
import {
  traceEntryKindSchemas,
  traceEntrySchema,
  traceHeaderSchema,
  type TraceHeader,
} from './traceFormat.ts';

/**
 * A trace file is malformed; the message starts with `file:line:` and says what to fix.
 *
 * @example throw new TraceFileError('run.jsonl', 3, 'entry i=7 where 2 was due');
 */
export class TraceFileError extends Error {
  override readonly name = 'TraceFileError';
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}

/** A parsed trace file: its header and the run the checkers read. */
export interface TraceFile {
  readonly header: TraceHeader;
  readonly run: RunResult;
}

function firstIssue(error: { issues: readonly { path: PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid';
  const path = issue.path.map(String).join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

/** Where an event id was first used: the emit (or broadcast) that names it. */
interface EventUse {
  readonly kind: string;
  readonly conn: string | null;
  readonly line: number;
}

/**
 * What is wrong with an entry given the event ids used before it (`used` is updated), or
 * undefined. An event id names one emit, or one broadcast, per run: the checkers match
 * outcomes, returns and frames to emits by id (a broadcast's copies carry their own ids,
 * `<id>.<conn>`). An outcome or a return names an event emitted earlier on its connection.
 */
function eventIdIssue(entry: TraceRecord, line: number, used: Map<string, EventUse>): string | undefined {
  const kind = `${entry.actor}/${entry.action}`;
  const id = entry.detail?.['eventId'];
  if (typeof id !== 'string') return undefined;
  if (kind === 'workload/emit' || kind === 'workload/broadcast') {
    if (kind === 'workload/emit' && entry.conn === null) return `${kind} of event "${id}" has no conn`;
    const first = used.get(id);
    if (first !== undefined) {
      return (
        `event id "${id}" is used again: line ${first.line} has the ${first.kind} of it` +
        `${first.conn === null ? '' : ` on ${first.conn}`}; an event id names one emit (or broadcast) per run`
      );
    }
    used.set(id, { kind, conn: entry.conn, line });
    return undefined;
  }
  if (kind !== 'workload/emitReturned' && kind !== 'design/outcome') return undefined;
  const emit = used.get(id);
  const on = entry.conn ?? 'no connection (conn null)';
  if (emit?.kind === 'workload/emit' && emit.conn === entry.conn) return undefined;
  const seen =
    emit === undefined
      ? 'no earlier workload/emit names it'
      : `its ${emit.kind} (line ${emit.line}) is on ${emit.conn ?? 'no connection'}`;
  return `${kind} on ${on} names event "${id}", which was not emitted on ${on} before it: ${seen}`;
}

/**
 * Parses a trace file's text. Pure. Blank lines are skipped (a trailing newline is fine);
 * every other line must be valid JSON matching the schema (and its kind's schema in
 * `traceEntryKindSchemas`), entries must be numbered 0, 1, 2... in file order, an event id
 * names one emit per run, and an outcome or emit return follows its emit on its connection.
 * `userOf` is read from the `workload/open` and `design/auth` entries. A line nested deeper
 * than `maxJsonDepth` (jsonDepth.ts) is refused before it is parsed.
 *
 * @throws TraceFileError naming the file and the first bad line.
 * @example
 * const { header, run } = parseTraceFile(text, 'run.jsonl');
 */
export function parseTraceFile(text: string, file: string): TraceFile {
  const lines = text.split('\n');
  let header: TraceHeader | undefined;
  const trace: TraceRecord[] = [];
  const userOf: Record<string, string> = {};
  const eventIds = new Map<string, EventUse>();
  for (let k = 0; k < lines.length; k++) {
    const line = (lines[k] as string).trim();
    if (line === '') continue;
    const lineNo = k + 1;
    if (tooDeepLine(line) !== undefined) {
      throw new TraceFileError(
        file,
        lineNo,
        `nested deeper than ${maxJsonDepth} levels; a trace entry needs far fewer (docs/trace.md)`,
      );
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new TraceFileError(file, lineNo, `not JSON (${(error as Error).message})`);
    }
    if (header === undefined) {
      const parsed = traceHeaderSchema.safeParse(value);
      if (!parsed.success) {
        throw new TraceFileError(
          file,
          lineNo,
          `not a trace header (${firstIssue(parsed.error)}); the first line must be ` +
            `{"format":"ws-lifecycle-trace","version":1,...} (docs/trace.md)`,
        );
      }
      header = parsed.data;
      continue;
    }
    const parsed = traceEntrySchema.safeParse(value);
    if (!parsed.success) throw new TraceFileError(file, lineNo, `bad entry (${firstIssue(parsed.error)})`);
    const entry = parsed.data as TraceRecord;
    if (entry.i !== trace.length) {
      throw new TraceFileError(file, lineNo, `entry i=${entry.i} where i=${trace.length} was due`);
    }
    const kind = `${entry.actor}/${entry.action}`;
    const kindParsed = traceEntryKindSchemas[kind]?.safeParse(entry);
    if (kindParsed?.success === false) {
      throw new TraceFileError(file, lineNo, `bad ${kind} entry (${firstIssue(kindParsed.error)})`);
    }
    const issue = eventIdIssue(entry, lineNo, eventIds);
    if (issue !== undefined) throw new TraceFileError(file, lineNo, issue);
    const user = entry.detail?.['userId'];
    // A real server learns the user at auth (design/auth), the simulation at open.
    const names = entry.action === 'open' || (entry.actor === 'design' && entry.action === 'auth');
    if (entry.conn !== null && names && typeof user === 'string') userOf[entry.conn] ??= user;
    trace.push(entry);
  }
  if (header === undefined) throw new TraceFileError(file, 1, 'empty file: no trace header');
  const config: LifecycleConfig = header.config ?? defaultConfig;
  return { header, run: { design: header.design.name, trace, userOf, config } };
}

/**
 * The text of a trace file: the header line and one JSON line per entry, newline-ended.
 * Pure; `parseTraceFile` reads it back.
 *
 * @example writeFileSync('run.jsonl', traceFileText(header, run.trace));
 */
export function traceFileText(header: TraceHeader, trace: readonly TraceRecord[]): string {
  return [header, ...trace].map((line) => `${JSON.stringify(line)}\n`).join('');
}
