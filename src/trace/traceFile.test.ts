import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../trace/types.ts';
import { TraceBuilder } from '../properties/traceBuilder.ts';
import { parseTraceFile, traceFileText } from './traceFile.ts';
import type { TraceHeader } from './traceFormat.ts';

const header: TraceHeader = {
  format: 'ws-lifecycle-trace',
  version: 1,
  source: 'real',
  recorder: 'test',
  design: { name: 'reference', kind: 'reducer' },
  profile: null,
};

/** A valid trace: two connections, an emit each, a broadcast copied to both, outcomes. */
function valid(): TraceRecord[] {
  const b = new TraceBuilder();
  b.ready('c1', 'u1');
  b.ready('c2', 'u2');
  b.emit('c1', 'e1');
  b.buffer('c1', 1);
  b.emit('c2', 'e2');
  b.broadcast('e3');
  b.emit('c1', 'e3.c1');
  b.emit('c2', 'e3.c2');
  b.deliver('c1', 'e1', 1);
  b.outcome('c1', 'e1', { kind: 'delivered', seq: 1 });
  b.emitReturned('c2', 'e2', 'false');
  b.outcome('c2', 'e3.c2', { kind: 'refused', reason: 'closed' });
  b.settled({ c1: 'ready', c2: 'ready' });
  return [...b.run().trace];
}

/** The error `parseTraceFile` throws on `trace` (entries renumbered), or 'valid'. */
function errorOf(trace: readonly object[]): string {
  const entries = trace.map((e, i) => ({ ...e, i }) as TraceRecord);
  try {
    parseTraceFile(traceFileText(header, entries), 't.jsonl');
    return 'valid';
  } catch (error) {
    return (error as Error).message;
  }
}

/** The line (1 = header) of the first entry matching `pick`. */
function lineOf(trace: readonly TraceRecord[], pick: (e: TraceRecord) => boolean): number {
  return trace.findIndex(pick) + 2;
}

const isEmit = (id: string) => (e: TraceRecord) => e.action === 'emit' && e.detail?.['eventId'] === id;

describe('parseTraceFile: what the checkers read is validated', () => {
  it('accepts a trace with emits, a broadcast and its per-connection copies, and outcomes', () => {
    expect(errorOf(valid())).toBe('valid');
  });

  it('refuses a workload/emit without detail, or with a numeric eventId, naming file:line', () => {
    const trace = valid();
    const at = lineOf(trace, isEmit('e2'));
    const without = trace.map((e) => (isEmit('e2')(e) ? { ...e, detail: undefined } : e));
    expect(errorOf(without)).toBe(
      `t.jsonl:${at}: bad workload/emit entry (detail: Invalid input: expected object, received undefined)`,
    );
    const numeric = trace.map((e) => (isEmit('e2')(e) ? { ...e, detail: { ...e.detail, eventId: 2 } } : e));
    expect(errorOf(numeric)).toMatch(
      new RegExp(`^t\\.jsonl:${at}: bad workload/emit entry \\(detail\\.eventId: `),
    );
  });

  it('refuses an outcome whose outcome is not an Outcome, and a buffer size that is not a number', () => {
    const trace = valid();
    const outcome = trace.map((e) =>
      e.action === 'outcome' ? { ...e, detail: { ...e.detail, outcome: { kind: 'lost' } } } : e,
    );
    expect(errorOf(outcome)).toMatch(/^t\.jsonl:\d+: bad design\/outcome entry \(detail\.outcome/);
    const buffer = trace.map((e) => (e.action === 'buffer' ? { ...e, detail: { size: '3' } } : e));
    expect(errorOf(buffer)).toMatch(/bad design\/buffer entry \(detail\.size: /);
  });

  it('refuses an event id emitted again, on another connection or the same one', () => {
    const trace = valid();
    const again = lineOf(trace, isEmit('e2'));
    const elsewhere = trace.map((e) =>
      isEmit('e2')(e) ? { ...e, detail: { ...e.detail, eventId: 'e1' } } : e,
    );
    expect(errorOf(elsewhere)).toBe(
      `t.jsonl:${again}: event id "e1" is used again: line ${lineOf(trace, isEmit('e1'))} has the workload/emit of it on c1; an event id names one emit (or broadcast) per run`,
    );
    const same = [...trace.slice(0, -1), { ...trace.find(isEmit('e1')) }, trace.at(-1) as TraceRecord];
    expect(errorOf(same)).toMatch(new RegExp(`^t\\.jsonl:${trace.length + 1}: event id "e1" is used again`));
  });

  it('refuses an emit reusing a broadcast id', () => {
    const trace = valid();
    const reuse = trace.map((e) =>
      isEmit('e3.c1')(e) ? { ...e, detail: { ...e.detail, eventId: 'e3' } } : e,
    );
    expect(errorOf(reuse)).toMatch(
      /event id "e3" is used again: line \d+ has the workload\/broadcast of it;/,
    );
  });

  it('refuses an outcome or an emit return before its emit, or on another connection', () => {
    const trace = valid();
    const outcome = trace.find((e) => e.action === 'outcome') as TraceRecord;
    const emitAt = trace.findIndex(isEmit('e1'));
    const before = [...trace.slice(0, emitAt), outcome, ...trace.slice(emitAt).filter((e) => e !== outcome)];
    expect(errorOf(before)).toBe(
      `t.jsonl:${emitAt + 2}: design/outcome on c1 names event "e1", which was not emitted on c1 before it: no earlier workload/emit names it`,
    );
    const moved = trace.map((e) => (e.action === 'emitReturned' ? { ...e, conn: 'c1' } : e));
    expect(errorOf(moved)).toMatch(
      /^t\.jsonl:\d+: workload\/emitReturned on c1 names event "e2", which was not emitted on c1 before it: its workload\/emit \(line \d+\) is on c2/,
    );
  });
});
