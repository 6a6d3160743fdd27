/**
 * Every violation of one property in one run, each as its checker reports it. A verdict
 * describes its first violation and counts the others (`(+2 more)`, with their first steps):
 * a run of a live server often shows several kinds at once (a handler killed by its own
 * client's close, another by a broadcast to a vanished peer), and drive reports each kind.
 */
import type { PropertyId, PropertyVerdict } from '../properties/propertyTypes.ts';
import type { TraceFile } from '../trace/traceFile.ts';
import type { TraceRecord } from '../trace/types.ts';

/** One violation: the verdict that describes it first, on the trace it was judged on. */
export interface Violation {
  readonly file: TraceFile;
  readonly verdict: PropertyVerdict;
}

/**
 * The trace with entry `at` moved to the end: re-numbered, `detail.raisedBy` mapped by the
 * same re-numbering. Moved rather than removed so a later entry that names it (a handler
 * killed by that call) still does. Pure.
 */
function movedToEnd(trace: readonly TraceRecord[], at: number): TraceRecord[] {
  const moved = trace.find((e) => e.i === at);
  if (moved === undefined) return [...trace];
  const order = [...trace.filter((e) => e.i !== at), moved];
  const index = new Map(order.map((e, k) => [e.i, k]));
  return order.map((e, k) => {
    const by = e.detail?.['raisedBy'];
    if (typeof by !== 'number') return { ...e, i: k };
    return { ...e, i: k, detail: { ...e.detail, raisedBy: index.get(by) ?? null } };
  });
}

/**
 * The violations of `id` in `file`, first first: the verdict's own, then, after moving the
 * entry each one starts at to the end of the trace (a checker reports the violation that
 * starts first), the next one the checker reports, as long as it starts at an entry the
 * first verdict listed as a later violation's start and not reported yet (so moving
 * entries never makes a violation up). At most `max`. Pure given a pure `judge`.
 *
 * @example violationsOf(file, 'P13', (f) => checkTraceFile(f)).map((v) => v.verdict.message);
 */
export function violationsOf(
  file: TraceFile,
  id: PropertyId,
  judge: (file: TraceFile) => readonly PropertyVerdict[],
  max = 8,
): Violation[] {
  const first = judge(file).find((v) => v.id === id);
  if (first?.status !== 'violated') return [];
  const listed = new Set(first.steps.slice(1));
  const reported = new Set([first.steps[0]]);
  const out: Violation[] = [{ file, verdict: first }];
  // origin[k]: the index in `file` of entry k of the current trace.
  let origin = file.run.trace.map((e) => e.i);
  let current = file;
  let verdict = first;
  while (out.length < max) {
    const at = verdict.steps[0];
    if (at === undefined) break;
    origin = [...origin.filter((_, k) => k !== at), origin[at] ?? -1];
    const trace = movedToEnd(current.run.trace, at);
    current = { header: current.header, run: { ...current.run, trace } };
    const next = judge(current).find((v) => v.id === id);
    const start = next?.steps[0];
    const from = start === undefined ? -1 : (origin[start] ?? -1);
    if (next?.status !== 'violated' || !listed.has(from) || reported.has(from)) break;
    reported.add(from);
    out.push({ file: current, verdict: next });
    verdict = next;
  }
  return out;
}
