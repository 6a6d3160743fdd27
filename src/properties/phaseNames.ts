/**
 * Mapping a design's own phase names to reference phases (P4, P10, P14, P15).
 */
import { phases } from '../core/transitions.ts';
import type { Phase } from '../core/types.ts';
import type { TraceEntry } from '../trace/entry.ts';
import type { CheckContext } from './propertyTypes.ts';

const referencePhases: ReadonlySet<string> = new Set<Phase>(phases);

/**
 * The reference phase a design's phase name stands for, or undefined when the design gives
 * no alias for it. An alias wins; a name that already is a reference phase (reducer designs
 * report those) stands for itself. Pure.
 *
 * @example referencePhaseOf('SERVICES_READY', { design: { phaseAliases: { SERVICES_READY: 'preparing' } } }) // 'preparing'
 */
export function referencePhaseOf(name: string, ctx: Pick<CheckContext, 'design'>): Phase | undefined {
  const aliases = ctx.design.phaseAliases;
  if (aliases !== undefined && Object.hasOwn(aliases, name)) return aliases[name];
  return referencePhases.has(name) ? (name as Phase) : undefined;
}

/**
 * Whether `entry` makes its connection ready: the first applied `design/phase` into a phase
 * standing for `ready`; for a design that exposes no phase (`exposesPhase` false), its
 * successful `design/auth`, or, for a real app that reports neither (`readyOnAccept`: a Python
 * design), its accept reaching the wire. Pure.
 *
 * @example becameReady(entry, true, ctx) // true for design/phase preparing -> ready
 */
export function becameReady(
  entry: TraceEntry,
  exposesPhase: boolean,
  ctx: Pick<CheckContext, 'design'>,
): boolean {
  if (!exposesPhase && ctx.design.readyOnAccept === true) return isAcceptOnWire(entry, ctx);
  if (entry.actor !== 'design') return false;
  if (!exposesPhase) return entry.action === 'auth' && entry.detail.ok;
  if (entry.action !== 'phase' || entry.detail.applied === false) return false;
  return referencePhaseOf(entry.detail.to, ctx) === 'ready';
}

/**
 * Whether `entry` is an accept reaching the wire of a design ready on it (`readyOnAccept`: a
 * real app, which reports no phase and no auth). Pure.
 */
export function isAcceptOnWire(entry: TraceEntry, ctx: Pick<CheckContext, 'design'>): boolean {
  return (
    ctx.design.readyOnAccept === true &&
    entry.actor === 'net' &&
    entry.action === 'wire' &&
    entry.message === 'websocket.accept'
  );
}
