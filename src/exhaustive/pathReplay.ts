/**
 * Replays one path of the exhaustive explorer on fresh design states and writes it as a
 * trace in the simulation's format (docs/trace.md), so the same checkers `check` uses judge
 * it and the same timeline renders it.
 */
import type { Effect, Input, JsonValue, LifecycleConfig, Phase } from '../core/types.ts';
import type { ReducerDesign } from '../sim/types.ts';
import type { TraceRecord } from '../trace/types.ts';
import { broadcastLabels, initialMonitor, localLabels, type Finding, type Monitor } from './localModel.ts';
import { stepLocal } from './localSpace.ts';

/** One step of a path: connection `conn` (0-based) takes `label`, or (conn null) a broadcast. */
export interface PathStep {
  readonly conn: number | null;
  readonly label: number;
}

/** A replayed path: its trace and the first property it broke (with its trace index). */
export interface ReplayedPath {
  readonly trace: TraceRecord[];
  readonly finding: Finding | null;
  readonly offending: readonly number[];
}

/** `c1:connect,*:broadcast:agent_started,...`. Pure. */
export function formatPath(path: readonly PathStep[]): string {
  return path
    .map((s) => `${s.conn === null ? '*' : `c${s.conn + 1}`}:${localLabels[s.label] ?? '?'}`)
    .join(',');
}

/**
 * Parses `formatPath`'s output. Pure.
 *
 * @returns the steps, or a one-line reason the text is not a path for `connections`.
 */
export function parsePath(text: string, connections: number): PathStep[] | string {
  const steps: PathStep[] = [];
  for (const token of text.split(',').filter((t) => t !== '')) {
    const colon = token.indexOf(':');
    const who = token.slice(0, colon);
    const label = (localLabels as readonly string[]).indexOf(token.slice(colon + 1));
    if (colon < 0 || label < 0)
      return `"${token}" is not a step (e.g. c1:connect, *:broadcast:agent_started)`;
    const isBroadcast = broadcastLabels.includes(label);
    if (who === '*' && isBroadcast) steps.push({ conn: null, label });
    else if (
      /^c\d+$/.test(who) &&
      !isBroadcast &&
      Number(who.slice(1)) >= 1 &&
      Number(who.slice(1)) <= connections
    )
      steps.push({ conn: Number(who.slice(1)) - 1, label });
    else return `"${token}": use c1..c${connections} for a connection's input, * for a broadcast`;
  }
  return steps;
}

class TraceWriter {
  readonly entries: TraceRecord[] = [];
  constructor(private readonly capacity: number) {}
  write(
    t: number,
    conn: string | null,
    actor: TraceRecord['actor'],
    action: string,
    extra: Partial<TraceRecord> = {},
  ): number {
    const i = this.entries.length;
    this.entries.push({ i, t, conn, actor, action, ...extra });
    return i;
  }
  effects(t: number, conn: string, effects: readonly Effect[]): void {
    for (const e of effects) {
      if (e.type === 'send') {
        const frame = e.frame as unknown as JsonValue;
        this.write(t, conn, 'app', 'send', { message: 'websocket.send', frame });
        this.write(t, conn, 'net', 'wire', { message: 'websocket.send', frame });
      } else if (e.type === 'close') {
        const frame = { code: e.code, reason: e.reason };
        this.write(t, conn, 'app', 'close', { message: 'websocket.close', frame });
        this.write(t, conn, 'net', 'wire', { message: 'websocket.close', frame });
      } else if (e.type === 'accept') {
        this.write(t, conn, 'app', 'accept', { message: 'websocket.accept' });
      } else if (e.type === 'outcome') {
        const detail = { eventId: e.eventId, outcome: e.outcome as unknown as JsonValue };
        this.write(t, conn, 'design', 'outcome', { detail });
      } else if (e.type === 'rejected') {
        this.write(t, conn, 'design', 'rejected', {
          phase: e.phase,
          detail: { input: e.input, phase: e.phase, reason: e.reason },
        });
      }
    }
  }
  buffered(t: number, conn: string, size: number): void {
    this.write(t, conn, 'design', 'buffer', { detail: { size, capacity: this.capacity } });
  }
}

/** One connection during a replay: its design state, monitor, phase and buffered count. */
interface Replayed<S> {
  state: S;
  monitor: Monitor;
  phase: Phase;
  buffered: number;
}

/**
 * Replays `path` from every connection's initial state. Stops at the first broken
 * property. Pure given a pure design. `t` of each entry is the step number.
 */
export function replayPath<S>(
  design: ReducerDesign<S>,
  config: LifecycleConfig,
  bounds: { readonly connections: number; readonly maxEmits: number; readonly capacity: number },
  path: readonly PathStep[],
): ReplayedPath {
  const w = new TraceWriter(bounds.capacity);
  const conns = Array.from({ length: bounds.connections }, (): Replayed<S> => {
    const state = design.initial(config);
    return {
      state,
      monitor: initialMonitor() as Monitor,
      phase: design.phaseOf(state) as Phase,
      buffered: 0,
    };
  });
  for (let n = 0; n < path.length; n++) {
    const step = path[n] as PathStep;
    const label = localLabels[step.label] ?? '';
    const targets =
      step.conn === null
        ? conns.flatMap((c, j) =>
            c.monitor.started && c.phase !== 'closing' && c.phase !== 'closed' ? [j] : [],
          )
        : [step.conn];
    if (step.conn === null) {
      w.write(n, null, 'workload', 'broadcast', {
        detail: { eventId: `b${n}`, type: label.slice(10), critical: label.endsWith('started') },
      });
    }
    for (const j of targets) {
      const c = conns[j];
      if (c === undefined) continue;
      const stopped = replayStep(design, c, `c${j + 1}`, n, step.label, bounds, w);
      if (stopped !== null) return stopped;
    }
  }
  return { trace: w.entries, finding: null, offending: [] };
}

/**
 * Connection `c` (named `conn`) takes `label` at step `n`; its entries go to `w`.
 *
 * @returns the replay's end when the step is impossible or breaks a property, else null.
 */
function replayStep<S>(
  design: ReducerDesign<S>,
  c: Replayed<S>,
  conn: string,
  n: number,
  labelIndex: number,
  bounds: { readonly maxEmits: number; readonly capacity: number },
  w: TraceWriter,
): ReplayedPath | null {
  const label = localLabels[labelIndex] ?? '';
  const r = stepLocal(design, c.state, c.monitor, labelIndex, bounds);
  if (r === null) {
    return {
      trace: w.entries,
      finding: { property: 'contract', message: `${conn}: ${label} is not possible at step ${n + 1}` },
      offending: [],
    };
  }
  const at = w.entries.length;
  writeInput(w, n, conn, r.input, label);
  if (r.finding?.property === 'P4' && r.finding.message.includes('threw')) {
    const i = w.write(n, conn, 'design', 'threw', {
      detail: { input: r.input.type, phase: r.from, error: r.finding.message },
    });
    return { trace: w.entries, finding: r.finding, offending: [i] };
  }
  if (r.to !== r.from) {
    w.write(n, conn, 'design', 'phase', {
      phase: r.to,
      detail: { machine: 'core', from: r.from, to: r.to, applied: true },
    });
  }
  const buffered = design.bufferedCount(r.state);
  if (buffered !== c.buffered) w.buffered(n, conn, buffered);
  w.effects(n, conn, r.effects);
  if (r.finding !== null) {
    const offending = w.entries.length > at ? [w.entries.length - 1] : [];
    return {
      trace: w.entries,
      finding: { ...r.finding, message: `${conn}: ${r.finding.message}` },
      offending,
    };
  }
  if (!r.skipped) Object.assign(c, { state: r.state, monitor: r.monitor, phase: r.to, buffered });
  return null;
}

/** The input's entry (a workload emit or close, else the harness's input) and an auth result's. */
function writeInput(w: TraceWriter, n: number, conn: string, input: Input, label: string): void {
  if (input.type === 'emit') {
    const ev = input.event;
    w.write(n, conn, 'workload', 'emit', {
      detail: { eventId: ev.id, type: ev.type, critical: ev.type === 'agent_started' },
    });
  } else if (input.type === 'appClose') {
    w.write(n, conn, 'workload', 'appClose', { detail: { code: input.code, reason: input.reason } });
  } else {
    w.write(n, conn, 'harness', 'input', { detail: { input: label } });
  }
  if (input.type === 'authSucceeded' || input.type === 'authFailed') {
    w.write(n, conn, 'design', 'auth', { detail: { ok: input.type === 'authSucceeded' } });
  }
}
