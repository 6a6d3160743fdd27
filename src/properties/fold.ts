/**
 * Checkers as folds (`PropertySpec`): `defineProperty` turns a property's init/step/finish
 * into a `PropertyDef`, and `foldRun` feeds one run's entries, in one pass, to the shared
 * facts (connectionFacts.ts) and then to every property that reads the entry's actor. A checker that
 * throws, while folding or finishing, gives a `checker-error` verdict of its own property;
 * the others are judged as if it were not there.
 */
import type { TraceEntry } from '../trace/entry.ts';
import type { Actor, RunResult, TraceRecord } from '../trace/types.ts';
import { TraceFacts } from './connectionFacts.ts';
import { asEntry } from './knownEntry.ts';
import type { CheckContext, PropertyInfo, PropertyVerdict } from './propertyTypes.ts';

/**
 * A property's checker as a fold over one run's entries, in trace order: `init` makes its
 * state for the run, `step` folds one entry into it (mutating the state it owns), `finish`
 * turns it into the verdict. `step` sees only the entries of the actors in `reads`, each in
 * trace order and narrowed to the `TraceEntry` union (knownEntry.ts). `facts` is the run's shared fold (connectionFacts.ts), which sees every entry:
 * at `step` it holds what the trace showed up to and including that entry, at `finish` the
 * whole trace's. Pure apart from the state it owns: no I/O, no module-level cache.
 */
export interface PropertySpec<S> extends PropertyInfo {
  /** The actors whose entries `step` reads; the others never reach it. */
  readonly reads: readonly Actor[];
  init(run: RunResult, ctx: CheckContext, facts: TraceFacts): S;
  step(state: S, entry: TraceEntry, facts: TraceFacts): void;
  /**
   * Folds in an entry of a kind the `TraceEntry` union does not know (a trace file may hold
   * one; knownEntry.ts), of an actor in `reads`. Absent: such entries never reach the fold.
   */
  stepOther?(state: S, record: TraceRecord, facts: TraceFacts): void;
  finish(state: S, facts: TraceFacts): PropertyVerdict;
}

/**
 * One property: its id, its kebab-case name, a README summary and its checker (a fold, whose
 * state only its own `init` makes and only its own `step` and `finish` read).
 */
export interface PropertyDef extends PropertySpec<unknown> {
  /**
   * This property alone on one run: one pass feeding the shared facts and its fold. Throws
   * what the checker throws (checkTrace turns that into a `checker-error` verdict).
   */
  check(run: RunResult, ctx: CheckContext): PropertyVerdict;
}

/** Every actor of a trace entry: the keys of `foldRun`'s dispatch. */
const actors: readonly Actor[] = ['app', 'client', 'net', 'workload', 'design', 'harness'];

/**
 * A `PropertyDef` from its fold. Its `check` runs the property alone.
 *
 * @example const p = defineProperty({ id: 'P1', name, summary, precondition, reads, init, step, finish });
 */
export function defineProperty<S>(spec: PropertySpec<S>): PropertyDef {
  // The state is the property's own: made by its init, read by its step and finish only.
  const def = spec as unknown as PropertySpec<unknown>;
  const self: PropertyDef = {
    ...def,
    check(run, ctx) {
      const { facts, factsError, states, failed } = foldTrace(run, ctx, [self]);
      const error = failed[0] ?? factsError;
      if (error !== undefined || facts === undefined) throw error?.error;
      return def.finish(states[0], facts);
    },
  };
  return self;
}

/**
 * Every property of `defs` on one run, in one pass over its trace: the shared facts fold
 * each entry first, then each property that reads its actor. Verdicts in `defs` order. A
 * property whose checker throws gets `checker-error` (its fold is fed nothing more); when
 * the shared facts throw, every property not yet failed does, with that error. Pure for pure
 * checkers. The shared facts come back too (undefined when they failed), for what the run as
 * a whole showed (e.g. its abort).
 *
 * @example foldRun(run, ctx, properties).verdicts.map((v) => v.status); // ['held', ...]
 */
export function foldRun(
  run: RunResult,
  ctx: CheckContext,
  defs: readonly PropertyDef[],
): { readonly verdicts: PropertyVerdict[]; readonly facts: TraceFacts | undefined } {
  const { facts, factsError, states, failed } = foldTrace(run, ctx, defs);
  const verdicts = defs.map((def, k) => {
    const error = failed[k] ?? factsError;
    if (error !== undefined || facts === undefined) return checkerError(def, error?.error);
    try {
      return def.finish(states[k], facts);
    } catch (thrown) {
      return checkerError(def, thrown);
    }
  });
  return { verdicts, facts: factsError === undefined ? facts : undefined };
}

/** What a checker (or the shared facts) threw. */
interface Failure {
  readonly error: unknown;
}

/** What one pass left: the facts (or what they threw), each property's state and failure. */
interface Folded {
  readonly facts: TraceFacts | undefined;
  readonly factsError: Failure | undefined;
  readonly states: unknown[];
  /** Per property: undefined while it ran, else the error its checker (or the facts) threw. */
  readonly failed: (Failure | undefined)[];
}

/** One pass of `run.trace` through the shared facts and each of `defs`' folds. */
function foldTrace(run: RunResult, ctx: CheckContext, defs: readonly PropertyDef[]): Folded {
  let facts: TraceFacts | undefined;
  let factsError: Failure | undefined;
  try {
    facts = new TraceFacts(run, ctx);
  } catch (error) {
    factsError = { error };
  }
  const states: unknown[] = [];
  const failed: (Failure | undefined)[] = [];
  for (const def of defs) {
    const started =
      facts === undefined ? { state: undefined, error: factsError } : initOne(def, run, ctx, facts);
    states.push(started.state);
    failed.push(started.error);
  }
  if (facts !== undefined) factsError = foldEntries(run.trace, defs, { states, failed, facts });
  return { facts, factsError, states, failed };
}

/** The folds of one run: each property's state and failure (by index into `defs`), the facts. */
interface Folds {
  readonly states: unknown[];
  readonly failed: (Failure | undefined)[];
  readonly facts: TraceFacts;
}

/** A property's state for the run, or the error its `init` threw. */
function initOne(
  def: PropertyDef,
  run: RunResult,
  ctx: CheckContext,
  facts: TraceFacts,
): { readonly state: unknown; readonly error: Failure | undefined } {
  try {
    return { state: def.init(run, ctx, facts), error: undefined };
  } catch (error) {
    return { state: undefined, error: { error } };
  }
}

/**
 * The one pass: each entry narrowed to the union once (`asEntry`), folded into the facts,
 * then into each property still running that reads its actor (an entry of a kind the union
 * does not know: into those with a `stepOther`). Returns the error the facts' own step threw,
 * if any (each property's is caught in `stepOne` and kept in `folds.failed`).
 */
function foldEntries(
  trace: readonly TraceRecord[],
  defs: readonly PropertyDef[],
  folds: Folds,
): Failure | undefined {
  const { states, failed, facts } = folds;
  const readers = readersOf(defs, () => true);
  const otherReaders = readersOf(defs, (def) => def.stepOther !== undefined);
  try {
    for (let e = 0; e < trace.length; e++) {
      const record = trace[e] as TraceRecord;
      const entry = asEntry(record);
      if (entry === null) facts.stepOther(record);
      else facts.step(entry);
      const ks = (entry === null ? otherReaders : readers)[record.actor];
      // An actor outside the trace format (a malformed entry): no property reads it.
      if (ks === undefined) continue;
      for (let j = 0; j < ks.length; j++) {
        const k = ks[j] as number;
        if (failed[k] === undefined)
          failed[k] = stepOne(defs[k] as PropertyDef, states[k], entry, record, facts);
      }
    }
  } catch (error) {
    return { error };
  }
  return undefined;
}

/** Per actor, the properties of `defs` that `take` and that read its entries (indexes into `defs`). Pure. */
function readersOf(
  defs: readonly PropertyDef[],
  take: (def: PropertyDef) => boolean,
): Readonly<Record<string, readonly number[]>> {
  const readers = Object.create(null) as Record<string, number[]>;
  for (const actor of actors) readers[actor] = [];
  defs.forEach((def, k) => {
    if (take(def)) for (const actor of def.reads) readers[actor]?.push(k);
  });
  return readers;
}

/**
 * Folds one entry into one property's state: `step` with `entry`, its narrowing, or, when
 * the union does not know its kind (`entry` null), `stepOther` with `record`. Undefined, or
 * the error the checker threw.
 */
function stepOne(
  def: PropertyDef,
  state: unknown,
  entry: TraceEntry | null,
  record: TraceRecord,
  facts: TraceFacts,
): Failure | undefined {
  try {
    if (entry === null) def.stepOther?.(state, record, facts);
    else def.step(state, entry, facts);
    return undefined;
  } catch (error) {
    return { error };
  }
}

/**
 * The verdict of a property whose checker threw: not judged, nothing charged to the design.
 * Pure.
 *
 * @example checkerError(p01NoSendBeforeAccept, new Error('boom')).message; // 'checker no-send-before-accept failed on this trace: boom'
 */
export function checkerError(property: PropertyInfo, error: unknown): PropertyVerdict {
  const text = error instanceof Error ? error.message : String(error);
  return {
    id: property.id,
    status: 'checker-error',
    steps: [],
    message: `checker ${property.name} failed on this trace: ${text}`,
    exercised: 0,
  };
}
