/**
 * Checkers as folds (propertyTypes.ts, `PropertySpec`): `defineProperty` turns a property's
 * init/step/finish into a `PropertyDef`, and `foldRun` feeds one run's entries, in one pass,
 * to the shared facts (connectionFacts.ts) and then to every property's fold. A checker that
 * throws, while folding or finishing, gives a `checker-error` verdict of its own property;
 * the others are judged as if it were not there.
 */
import type { RunResult, TraceEntry } from '../trace/types.ts';
import { TraceFacts } from './connectionFacts.ts';
import type { CheckContext, PropertyInfo, PropertyVerdict } from './propertyTypes.ts';

/**
 * A property's checker as a fold over one run's entries, in trace order: `init` makes its
 * state for the run, `step` folds one entry into it (mutating the state it owns), `finish`
 * turns it into the verdict. `facts` is the run's shared fold (connectionFacts.ts): at `step`
 * it holds what the trace showed up to and including that entry, at `finish` the whole
 * trace's. Pure apart from the state it owns: no I/O, no module-level cache.
 */
export interface PropertySpec<S> extends PropertyInfo {
  init(run: RunResult, ctx: CheckContext, facts: TraceFacts): S;
  step(state: S, entry: TraceEntry, facts: TraceFacts): void;
  finish(state: S, facts: TraceFacts): PropertyVerdict;
}

/** One property's fold started on one run (its state hidden): entries in, a verdict out. */
export interface PropertyFold {
  step(entry: TraceEntry): void;
  finish(): PropertyVerdict;
}

/** One property: its id, its kebab-case name, a README summary and its checker (a fold). */
export interface PropertyDef extends PropertyInfo {
  /** Starts the property's fold on `run`, reading the run's shared `facts`. */
  start(run: RunResult, ctx: CheckContext, facts: TraceFacts): PropertyFold;
  /**
   * This property alone on one run: one pass feeding the shared facts and its fold. Throws
   * what the checker throws (checkTrace turns that into a `checker-error` verdict).
   */
  check(run: RunResult, ctx: CheckContext): PropertyVerdict;
}

/**
 * A `PropertyDef` from its fold. Its `check` runs the property alone.
 *
 * @example const p = defineProperty({ id: 'P1', name, summary, precondition, init, step, finish });
 */
export function defineProperty<S>(spec: PropertySpec<S>): PropertyDef {
  const { id, name, summary, precondition } = spec;
  const def: PropertyDef = {
    id,
    name,
    summary,
    precondition,
    start(run, ctx, facts) {
      const state = spec.init(run, ctx, facts);
      return {
        step: (entry) => spec.step(state, entry, facts),
        finish: () => spec.finish(state, facts),
      };
    },
    check(run, ctx) {
      const facts = new TraceFacts(run, ctx);
      const fold = def.start(run, ctx, facts);
      for (const entry of run.trace) {
        facts.step(entry);
        fold.step(entry);
      }
      return fold.finish();
    },
  };
  return def;
}

/** One property's fold on a run, or the error its checker threw. */
interface Running {
  readonly property: PropertyInfo;
  fold: PropertyFold | undefined;
  error: unknown;
}

/**
 * Every property of `defs` on one run, in one pass over its trace: the shared facts fold
 * each entry first, then each property's fold. Verdicts in `defs` order. A property whose
 * checker throws gets `checker-error` (its fold is fed nothing more); when the shared facts
 * throw, every property not yet failed does, with that error. Pure for pure checkers.
 *
 * The shared facts come back too (undefined when they failed), for what the run as a whole
 * showed (e.g. its abort).
 *
 * @example foldRun(run, ctx, properties).verdicts.map((v) => v.status); // ['held', ...]
 */
export function foldRun(
  run: RunResult,
  ctx: CheckContext,
  defs: readonly PropertyDef[],
): { readonly verdicts: PropertyVerdict[]; readonly facts: TraceFacts | undefined } {
  let facts: TraceFacts | undefined;
  let factsError: { readonly error: unknown } | undefined;
  try {
    facts = new TraceFacts(run, ctx);
  } catch (error) {
    factsError = { error };
  }
  const running: Running[] = defs.map((property) => {
    if (facts === undefined) return { property, fold: undefined, error: factsError?.error };
    try {
      return { property, fold: property.start(run, ctx, facts), error: undefined };
    } catch (error) {
      return { property, fold: undefined, error };
    }
  });
  if (facts !== undefined) {
    for (const entry of run.trace) {
      try {
        facts.step(entry);
      } catch (error) {
        factsError = { error };
        break;
      }
      for (const r of running) {
        if (r.fold === undefined) continue;
        try {
          r.fold.step(entry);
        } catch (error) {
          r.fold = undefined;
          r.error = error;
        }
      }
    }
  }
  const verdicts = running.map((r) => {
    if (r.fold === undefined || factsError !== undefined) {
      return checkerError(r.property, r.fold === undefined ? r.error : factsError?.error);
    }
    try {
      return r.fold.finish();
    } catch (error) {
      return checkerError(r.property, error);
    }
  });
  return { verdicts, facts: factsError === undefined ? facts : undefined };
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
