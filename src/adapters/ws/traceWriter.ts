/**
 * The adapter's trace recorder: writes a real server's run in the trace file format of
 * docs/trace.md (a header line, then one JSON line per entry) so `ws-lifecycle check-trace`
 * judges it with the same checkers as a simulated run.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { LifecycleConfig } from '../../core/types.ts';
import type { TraceDraft } from '../../trace/entry.ts';

/** Where trace lines go: a file path, or any object taking lines (each ends with '\n'). */
export interface TraceSink {
  write(line: string): void;
  /** Called once when the server has closed; flush and release. */
  end?(): Promise<void>;
}

/** Socket states as Starlette names them (docs/trace.md `before` / `after`). */
export type SocketStateName = 'CONNECTING' | 'CONNECTED' | 'DISCONNECTED';

/**
 * One entry before the recorder stamps `i` and `t`: a member of the `TraceEntry` union
 * (src/trace/entry.ts) without them, so each kind has exactly its fields.
 */
export type EntryDraft = TraceDraft;

/** A sink appending to a file (created or truncated). */
export function fileSink(path: string): TraceSink {
  const stream: WriteStream = createWriteStream(path);
  return {
    write: (line) => void stream.write(line),
    end: () => new Promise((resolve) => stream.end(resolve)),
  };
}

/**
 * Stamps entries with their index and the milliseconds since recording began (real time,
 * rounded to microseconds) and writes them as JSON lines after a header. Not pure (reads
 * the clock, writes the sink).
 *
 * @example
 * const trace = new TraceWriter(fileSink('run.jsonl'), config);
 * trace.write({ conn: 'c1', actor: 'client', action: 'connect' });
 */
export class TraceWriter {
  private next = 0;
  private ended = false;
  private readonly start = performance.now();

  constructor(
    private readonly sink: TraceSink,
    config: LifecycleConfig,
  ) {
    // The header of docs/trace.md: the reference core under a real transport.
    sink.write(
      `${JSON.stringify({
        format: 'ws-lifecycle-trace',
        version: 1,
        source: 'real',
        recorder: 'ws-lifecycle/ws',
        design: { name: 'reference', kind: 'reducer' },
        profile: null,
        config,
        meta: { node: process.version },
      })}\n`,
    );
  }

  /** Writes one entry; fields left undefined are not written. After `end()`, does nothing. */
  write(draft: EntryDraft): void {
    if (this.ended) return;
    const t = Math.round((performance.now() - this.start) * 1000) / 1000;
    const entry: Record<string, unknown> = { i: this.next++, t };
    for (const [key, value] of Object.entries(draft)) if (value !== undefined) entry[key] = value;
    this.sink.write(`${JSON.stringify(entry)}\n`);
  }

  /** Ends the sink (after the server's last entry). */
  async end(): Promise<void> {
    this.ended = true;
    await this.sink.end?.();
  }
}
