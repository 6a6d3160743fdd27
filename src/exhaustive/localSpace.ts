/**
 * The state space of ONE connection, built on demand: every distinct (design state,
 * monitor) gets a small integer id, and each id's transitions are computed once.
 *
 * Connections of a reducer design share nothing (each has its own state), so a local
 * transition is the same whatever the other connections are doing: the product search
 * reuses it for every global state it occurs in, and steps the design once per local edge.
 */
import type { Input, LifecycleConfig, Phase } from '../core/types.ts';
import type { ReducerDesign } from '../sim/types.ts';
import {
  broadcastLabels,
  cloneMonitor,
  initialMonitor,
  inputFor,
  localLabels,
  monitorKey,
  observeEffect,
  observeInput,
  observeStep,
  type Finding,
  type Monitor,
} from './localModel.ts';

/** One edge of the local space; `to` is -1 when the step broke a property. */
export interface LocalTransition {
  readonly label: number;
  readonly to: number;
  readonly finding: Finding | null;
}

/** The outcome of one design step from a local state. */
export interface StepOutcome<S> {
  readonly input: Input;
  readonly state: S;
  readonly effects: readonly import('../core/types.ts').Effect[];
  readonly monitor: Monitor;
  readonly from: Phase;
  readonly to: Phase;
  readonly finding: Finding | null;
  /** Rejected and unchanged: no state is created for it. */
  readonly skipped: boolean;
}

const ownLabels = localLabels.map((_, i) => i).filter((i) => !broadcastLabels.includes(i));

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Steps `design` from (`state`, `monitor`) on `label`, judging the step. Pure given a
 * pure design; null when the driver would not give that input now.
 */
export function stepLocal<S>(
  design: ReducerDesign<S>,
  state: S,
  monitor: Monitor,
  label: number,
  bounds: { readonly maxEmits: number; readonly capacity: number },
): StepOutcome<S> | null {
  let from: Phase;
  try {
    from = design.phaseOf(state);
  } catch (e) {
    const finding: Finding = { property: 'P4', message: `phaseOf threw: ${messageOf(e)}` };
    const input: Input = { type: 'connect' };
    return { input, state, effects: [], monitor, from: 'closed', to: 'closed', finding, skipped: false };
  }
  const input = inputFor(label, monitor, from, bounds.maxEmits);
  if (input === null) return null;
  const m = cloneMonitor(monitor);
  observeInput(m, input);
  if (input.type === 'emit' && !broadcastLabels.includes(label)) m.emits += 1;
  let next: S;
  let effects: readonly import('../core/types.ts').Effect[];
  let to: Phase;
  let buffered: number;
  try {
    ({ state: next, effects } = design.step(state, input));
    to = design.phaseOf(next);
    buffered = design.bufferedCount(next);
  } catch (e) {
    const finding: Finding = {
      property: 'P4',
      message: `step threw on ${input.type} in ${from}: ${messageOf(e)}`,
    };
    return { input, state, effects: [], monitor: m, from, to: from, finding, skipped: false };
  }
  const rejected = Array.isArray(effects) && effects.some((e) => e?.type === 'rejected');
  if (rejected && next === state && effects.length === 1 && to === from) {
    return { input, state, effects, monitor, from, to, finding: null, skipped: true };
  }
  let finding: Finding | null = null;
  if (!Array.isArray(effects))
    finding = { property: 'P4', message: 'step returned effects that are not an array' };
  for (const effect of Array.isArray(effects) ? effects : []) {
    finding ??= observeEffect(m, effect);
  }
  finding ??= observeStep(m, input, from, to, rejected, buffered, bounds.capacity);
  return { input, state: next, effects, monitor: m, from, to, finding, skipped: false };
}

/**
 * The interned local space of one design under one configuration.
 *
 * @example
 * const space = new LocalSpace(reference, config, { maxEmits: 2, capacity: 2 });
 * space.successors(0).length; // 1 (only connect)
 */
export class LocalSpace<S> {
  readonly states: S[] = [];
  readonly monitors: Monitor[] = [];
  readonly phases: Phase[] = [];
  /** Design steps taken (each local edge once). */
  designSteps = 0;
  /** Inputs rejected without a state change: no state was created for them. */
  rejectedSkipped = 0;
  private readonly ids = new Map<string, number>();
  private readonly own: (LocalTransition[] | undefined)[] = [];
  private readonly broadcast: (LocalTransition | null | undefined)[][] = [[], []];

  constructor(
    readonly design: ReducerDesign<S>,
    readonly config: LifecycleConfig,
    readonly bounds: { readonly maxEmits: number; readonly capacity: number },
    private readonly onStep?: () => void,
  ) {
    this.intern(design.initial(config), initialMonitor(), design.phaseOf(design.initial(config)));
  }

  /** Distinct local states so far. */
  get size(): number {
    return this.states.length;
  }

  /** A connection's own transitions from `id` (every label but the broadcasts). */
  successors(id: number): readonly LocalTransition[] {
    let list = this.own[id];
    if (list === undefined) {
      list = [];
      for (const label of ownLabels) {
        const t = this.transition(id, label);
        if (t !== null && (t.to !== id || t.finding !== null)) list.push(t);
      }
      this.own[id] = list;
    }
    return list;
  }

  /**
   * The edge a broadcast (`which`: 0 critical, 1 not) takes from `id`; null when the driver
   * skips this connection (not opened yet, or closing / closed), as the reducer driver does.
   */
  broadcastStep(id: number, which: number): LocalTransition | null {
    const memo = this.broadcast[which] as (LocalTransition | null | undefined)[];
    let t = memo[id];
    if (t === undefined) {
      const phase = this.phases[id];
      const eligible = this.monitors[id]?.started === true && phase !== 'closing' && phase !== 'closed';
      t = eligible ? this.transition(id, broadcastLabels[which] ?? 0) : null;
      memo[id] = t;
    }
    return t;
  }

  private transition(id: number, label: number): LocalTransition | null {
    const r = stepLocal(this.design, this.states[id] as S, this.monitors[id] as Monitor, label, this.bounds);
    if (r === null) return null;
    this.designSteps += 1;
    this.onStep?.();
    if (r.skipped) {
      this.rejectedSkipped += 1;
      return null;
    }
    if (r.finding !== null) return { label, to: -1, finding: r.finding };
    return { label, to: this.intern(r.state, r.monitor, r.to), finding: null };
  }

  private intern(state: S, monitor: Monitor, phase: Phase): number {
    const key = canonicalKey(state, monitor, this.config);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.states.length;
      this.ids.set(key, id);
      this.states.push(state);
      this.monitors.push(monitor);
      this.phases.push(phase);
    }
    return id;
  }
}

const idPattern = /ev#(\d+)/g;

/**
 * The state key with event ids abstracted: only events the design state still names, events
 * without an outcome, and the latest one on the wire are kept, each renamed to its rank in
 * emit order. Two states with the same key behave alike up to that renaming (a design only
 * compares ids, and ranks keep their order), so one of them stands for both. A settled event
 * the design no longer names can break nothing later: it is forgotten. The config is the same
 * object in every state: it is left out. Pure.
 */
export function canonicalKey(state: unknown, monitor: Monitor, config: LifecycleConfig): string {
  const json = JSON.stringify(state, (_k, v: unknown) => (v === config ? 0 : v)) ?? '';
  const live = new Set<number>();
  for (const match of json.matchAll(idPattern)) live.add(Number(match[1]));
  monitor.events.forEach((e, k) => {
    if (e.outcome === '') live.add(k);
  });
  if (monitor.latestWired >= 0) live.add(monitor.latestWired);
  const kept = [...live].sort((a, b) => a - b);
  const renamed = json.replace(idPattern, (_m, p: string) => `ev#${kept.indexOf(Number(p))}`);
  return `${renamed}|${monitorKey(monitor, kept)}`;
}
