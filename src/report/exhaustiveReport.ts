/**
 * What `explore` prints: the bounds, the counts, the verdict, and each violation as a
 * timeline with the command that replays it.
 */
import type { ExhaustiveResult, ExhaustiveViolation } from '../exhaustive/exhaustive.ts';
import { propertyName } from './report.ts';
import type { PropertyId } from '../properties/propertyTypes.ts';
import { cutTimeline, renderTimeline } from './timeline.ts';

/** The bounds of one exploration as the command line gives them. */
export interface ExhaustiveBounds {
  readonly design: string;
  readonly connections: number;
  readonly maxEmits: number;
  readonly broadcasts: number;
  readonly capacity: number;
  readonly maxInFlight: number;
  readonly maxStates: number;
  readonly maxDepth: number | null;
  readonly reduction: string;
}

/** The properties judged on every explored step. */
export const exploredProperties: readonly PropertyId[] = [
  'P1',
  'P2',
  'P4',
  'P5',
  'P6',
  'P7',
  'P8',
  'P9',
  'P10',
  'P11',
];

/** Flags that reproduce these bounds (`--replay` needs the same ones). Pure. */
export function boundFlags(b: ExhaustiveBounds): string {
  return `--design ${b.design} --connections ${b.connections} --max-emits ${b.maxEmits} --broadcasts ${b.broadcasts} --capacity ${b.capacity}`;
}

/** The command replaying one violation. Pure. */
export function replayCommand(b: ExhaustiveBounds, v: ExhaustiveViolation): string {
  return `npx ws-lifecycle explore ${boundFlags(b)} --replay '${v.path}'`;
}

function title(p: PropertyId | 'contract'): string {
  return p === 'contract' ? 'contract (design contract, docs/core.md)' : `${p} ${propertyName(p)}`;
}

/** One violation: title, message, timeline, replay command. Pure. */
export function renderViolation(b: ExhaustiveBounds, v: ExhaustiveViolation): string {
  const confirmed = v.checkedBy === null ? '' : `\n  check's ${v.property} on this trace: ${v.checkedBy}`;
  return [
    `VIOLATED ${title(v.property)}  [${v.steps} steps; t is the step number]`,
    `  ${v.message}${confirmed}`,
    renderTimeline(cutTimeline(v.trace, v.offending), v.offending),
    `  replay: ${replayCommand(b, v)}`,
  ].join('\n');
}

/**
 * The human-readable report. Pure except for `elapsedMs`, which is printed.
 *
 * @param allowTruncated an incomplete exploration is accepted (exit 0) rather than a failure.
 */
export function renderExhaustive(
  b: ExhaustiveBounds,
  r: ExhaustiveResult,
  elapsedMs: number,
  allowTruncated: boolean,
): string {
  const depth = b.maxDepth === null ? '' : `, depth <= ${b.maxDepth}`;
  const lines = [
    `explore ${b.design}: ${b.connections} connection(s), ${b.maxEmits} emits each, ${b.broadcasts} broadcast(s), capacity ${b.capacity}, maxInFlight ${b.maxInFlight}${depth}; reduction ${b.reduction}; at most ${b.maxStates} states`,
    `states: ${r.states} (${r.localStates} per-connection states, ${r.designSteps} design steps, ${r.rejectedSkipped} rejected inputs skipped); transitions: ${r.transitions}; depth ${r.depth}; ${elapsedMs} ms`,
    `properties checked on every step: ${exploredProperties.join(' ')}`,
  ];
  for (const v of r.violations) lines.push('', renderViolation(b, v));
  lines.push('');
  if (r.verdict === 'violated')
    lines.push(`${r.violations.length} violated propert${r.violations.length === 1 ? 'y' : 'ies'}`);
  if (r.truncated) {
    lines.push(
      `INCOMPLETE: the state cap (--max-states ${b.maxStates}) was reached before the space closed, so paths were left unexplored; raise --max-states or lower the bounds${allowTruncated ? ' (accepted: --allow-truncated)' : ' (or pass --allow-truncated to accept it)'}`,
    );
  } else if (r.verdict === 'held') lines.push('every property held on every path within the bounds');
  return `${lines.join('\n')}\n`;
}

/** The `--json` report. Pure except for `elapsedMs`. */
export function exhaustiveJson(b: ExhaustiveBounds, r: ExhaustiveResult, elapsedMs: number): string {
  const statesPerSecond = elapsedMs > 0 ? Math.round((r.states / elapsedMs) * 1000) : null;
  const body = {
    bounds: b,
    verdict: r.verdict,
    states: r.states,
    transitions: r.transitions,
    localStates: r.localStates,
    designSteps: r.designSteps,
    rejectedSkipped: r.rejectedSkipped,
    depth: r.depth,
    truncated: r.truncated,
    elapsedMs,
    statesPerSecond,
    tableBytes: r.tableBytes,
    properties: exploredProperties,
    violations: r.violations.map((v) => ({
      property: v.property,
      message: v.message,
      checkedBy: v.checkedBy,
      steps: v.steps,
      path: v.path,
      replay: replayCommand(b, v),
    })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
