/**
 * Types shared by the property checkers (SPEC section 7): ids, verdicts, the checker
 * words every property has and the context a checker is given; the checker contract (a fold
 * over the trace's entries) is src/properties/fold.ts's. Types only.
 */
import type { Phase } from '../core/types.ts';
import type { FrameCodec } from '../trace/frameCodec.ts';
import type { ProfileName } from '../trace/types.ts';

/** Stable property ids: reports, fixtures and tests use them. `DE`: the run hit a design error. */
export type PropertyId = 'DE' | `P${number}`;

/**
 * The verdict of one property on one run (or, aggregated, on a run set).
 * `not-exercised`: the precondition never occurred, so "held" would claim nothing.
 * `not-applicable`: the property does not apply to this design or profile.
 * `checker-error`: the checker itself threw on this trace; the property was not judged, and
 * nothing is charged to the design (the message names the checker and its error).
 */
export type PropertyStatus = 'held' | 'violated' | 'not-exercised' | 'not-applicable' | 'checker-error';

/** What one checker found in one trace. */
export interface PropertyVerdict {
  readonly id: PropertyId;
  readonly status: PropertyStatus;
  /** Trace indexes (`i`) of the offending entries, first offending first. Empty unless violated. */
  readonly steps: number[];
  /** One line: what happened, e.g. "c1: send of websocket.send while applicationState CONNECTING (t=75ms)". */
  readonly message: string;
  /** How many times the property's precondition occurred in this trace (coverage). */
  readonly exercised: number;
}

/** What a checker knows besides the trace: the design's shape and the fault profile of the run. */
export interface CheckContext {
  readonly design: {
    readonly name: string;
    readonly kind: 'reducer' | 'handler';
    /** A handler design's own phase names mapped to reference phases (P4, P10, P14). */
    readonly phaseAliases?: Readonly<Record<string, Phase>>;
    /** The design's frame codec (P7, P8, P12, P14); absent: `defaultFrameCodec`. */
    readonly decodeFrame?: FrameCodec;
    /**
     * A real stack's trace (a Python design's run, a recording checked by check-trace): when
     * it reports no phase and no auth, a connection is ready once its accept is on the wire
     * (P14, P15).
     */
    readonly readyOnAccept?: boolean;
  };
  readonly profile: ProfileName | 'swarm';
}

/** What every property has besides its checker: the words reports and the README use. */
export interface PropertyInfo {
  readonly id: PropertyId;
  /** Kebab-case name, e.g. 'no-send-before-accept'. */
  readonly name: string;
  /** One or two sentences for the README. */
  readonly summary: string;
  /** What must happen in a run for the property to be exercised, e.g. 'an emit' (named by no-cov reports). */
  readonly precondition: string;
}
