/**
 * P4 valid-transitions (SPEC section 7): every phase change is an edge of the transition
 * table (src/core/transitions.ts).
 */
import { isTransition, phases } from '../core/transitions.ts';
import type { Phase } from '../core/types.ts';
import type { DesignPhase, DesignThrew } from '../trace/entry.ts';
import type { CheckContext } from './propertyTypes.ts';
import { defineProperty, type PropertyDef } from './fold.ts';
import { Findings } from './findings.ts';
import { where } from './frames.ts';
import { referencePhaseOf } from './phaseNames.ts';

/**
 * Reads every `design/phase` entry, applied or only attempted: both names are mapped to
 * reference phases (`referencePhaseOf`); a name without alias is a violation; a move within
 * one reference phase is no change; any other move must be an edge of the table.
 *
 * A handler design's phase alphabet may be coarser than the reference's: it may skip the
 * reference phases it has no name for (no alias maps to them), e.g. a design without an
 * accepting phase may go from connecting straight to authenticating. Skipping a phase it
 * does name (CONNECTING -> SERVICES_READY skips the authenticating it calls ACCEPTED) is a
 * violation. Not applicable when the design reports no phase at all.
 *
 * A reducer design's `step` must answer every input (SPEC section 4: with a phase change of
 * the table, a stay, or an explicit `rejected`; never a throw). The driver writes a throw as
 * `design/threw` (`detail: { input, phase, error }`), and each is a violation:
 * "c1: step threw on emit in ready: <message> (t=10ms)".
 *
 * @example p04ValidTransitions.check(run, ctx).status // 'violated' for seed 003
 */
export const p04ValidTransitions: PropertyDef = defineProperty({
  id: 'P4',
  name: 'valid-transitions',
  summary:
    'Every phase change a design makes or attempts, mapped to reference phases, is an edge of the ' +
    'transition table (seed 003: CONNECTING -> SERVICES_READY is not).',
  precondition: 'a phase change reported by the design',
  reads: ['design'],
  init: (_run, ctx) => ({ findings: new Findings('P4'), allowed: allowedMoves(ctx), ctx }),
  step({ findings, allowed, ctx }, entry) {
    if (entry.actor !== 'design') return;
    if (entry.action === 'threw' && ctx.design.kind === 'reducer') {
      findings.exercised++;
      findings.violate([entry.i], threwFinding(entry));
    } else if (entry.action === 'phase') {
      findings.exercised++;
      const message = phaseFinding(entry, allowed, ctx);
      if (message !== undefined) findings.violate([entry.i], message);
    }
  },
  finish({ findings }) {
    if (findings.exercised === 0) return findings.notApplicable('design exposes no phase');
    return findings.verdict();
  },
});

/** "c1: step threw on emit in ready: <message> (t=10ms)". Pure. */
function threwFinding(entry: DesignThrew): string {
  const { conn, at } = where(entry);
  // A trace file's design/threw is checked for the common fields only (traceFormat.ts).
  const detail: { readonly input?: unknown; readonly phase?: unknown; readonly error?: unknown } =
    entry.detail ?? {};
  const text = (value: unknown, absent: string): string => (typeof value === 'string' ? value : absent);
  return `${conn}: step threw on ${text(detail.input, '?')} in ${text(detail.phase, '?')}: ${text(detail.error, '')} ${at}`;
}

/** The finding of a phase change that is not a move of the table, or undefined. Pure. */
function phaseFinding(
  entry: DesignPhase,
  allowed: (from: Phase, to: Phase) => boolean,
  ctx: CheckContext,
): string | undefined {
  const { from, to, machine, applied } = entry.detail;
  const { conn, at } = where(entry);
  const label = machine === undefined ? conn : `${conn} (${machine})`;
  const fromPhase = referencePhaseOf(from, ctx);
  const toPhase = referencePhaseOf(to, ctx);
  if (fromPhase === undefined || toPhase === undefined) {
    const unknown = fromPhase === undefined ? from : to;
    return `${label}: phase name ${unknown} has no alias ${at}`;
  }
  if (fromPhase === toPhase || allowed(fromPhase, toPhase)) return undefined;
  const verb = applied === false ? 'attempted' : 'made';
  const mapped = from === fromPhase && to === toPhase ? '' : ` (${fromPhase} -> ${toPhase})`;
  return `${label}: ${verb} ${from} -> ${to}${mapped}, not in the transition table ${at}`;
}

/**
 * `from -> to` is allowed when the table has a path from `from` to `to` whose intermediate
 * phases the design does not name. A reducer design, or one without aliases, names every
 * phase, so only direct edges pass. Memoised per check: 7 phases, at most 49 pairs.
 */
function allowedMoves(ctx: CheckContext): (from: Phase, to: Phase) => boolean {
  const aliases = ctx.design.phaseAliases;
  const named = new Set<Phase>(aliases === undefined ? phases : Object.values(aliases));
  const memo = new Map<string, boolean>();
  return (from, to) => {
    const key = `${from}>${to}`;
    let answer = memo.get(key);
    if (answer === undefined) {
      answer = reachableThroughUnnamed(from, to, named);
      memo.set(key, answer);
    }
    return answer;
  };
}

function reachableThroughUnnamed(from: Phase, to: Phase, named: ReadonlySet<Phase>): boolean {
  const seen = new Set<Phase>([from]);
  const frontier: Phase[] = [from];
  while (frontier.length > 0) {
    const here = frontier.pop() as Phase;
    for (const next of phases) {
      if (seen.has(next) || !isTransition(here, next)) continue;
      if (next === to) return true;
      if (named.has(next)) continue;
      seen.add(next);
      frontier.push(next);
    }
  }
  return false;
}
