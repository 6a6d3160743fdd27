/**
 * The lifecycle transition table (SPEC section 4), as data, and what is derived from it:
 * what each phase accepts (`acceptedTriggers`, which `step` consults), `isTransition`, the
 * seed phase names and the Mermaid diagram embedded in docs/core.md.
 */
import type { Input, Phase, TimerName } from './types.ts';

/** What moves a phase: an input type, or a named timer firing (`timer:auth`). */
export type Trigger = Exclude<Input['type'], 'timerFired'> | `timer:${TimerName}`;

/** One edge of the table: `from` moves to `to` on any of `on`. */
export interface Transition {
  readonly from: Phase;
  readonly to: Phase;
  readonly on: readonly Trigger[];
}

/** Every phase, in lifecycle order. */
export const phases: readonly Phase[] = [
  'connecting',
  'accepting',
  'authenticating',
  'preparing',
  'ready',
  'closing',
  'closed',
];

/** The transport vanished: every phase that is not closed reaches `closed` on these. */
const transportGone: readonly Trigger[] = ['peerClose', 'transportError'];

/**
 * The transition table. Every phase change the core makes is one of these edges, and
 * `step` asserts it (P4). Same-phase inputs are not listed (see `stayInputs`).
 */
export const transitions: readonly Transition[] = [
  { from: 'connecting', to: 'accepting', on: ['connect'] },
  { from: 'accepting', to: 'authenticating', on: ['acceptCompleted'] },
  { from: 'authenticating', to: 'preparing', on: ['authSucceeded'] },
  { from: 'preparing', to: 'ready', on: ['servicesReady'] },
  { from: 'connecting', to: 'closing', on: ['appClose'] },
  { from: 'accepting', to: 'closing', on: ['appClose', 'timer:handshake'] },
  { from: 'authenticating', to: 'closing', on: ['appClose', 'authFailed', 'timer:auth'] },
  { from: 'preparing', to: 'closing', on: ['appClose', 'timer:prepare'] },
  { from: 'ready', to: 'closing', on: ['appClose', 'timer:heartbeat'] },
  { from: 'connecting', to: 'closed', on: transportGone },
  { from: 'accepting', to: 'closed', on: transportGone },
  { from: 'authenticating', to: 'closed', on: transportGone },
  { from: 'preparing', to: 'closed', on: transportGone },
  { from: 'ready', to: 'closed', on: [...transportGone, 'sendFailed'] },
  {
    from: 'closing',
    to: 'closed',
    on: [...transportGone, 'sendFailed', 'closeCompleted', 'timer:closeHandshake'],
  },
];

/**
 * Triggers each phase accepts WITHOUT changing phase. Any trigger neither here nor on an
 * edge out of the phase is answered with a `rejected` effect.
 * (`appClose` is on every edge list but is rejected when its code or reason is invalid;
 * `timer:heartbeat` in ready stays unless the pong limit is reached.)
 */
export const stayInputs: Readonly<Record<Phase, readonly Trigger[]>> = {
  connecting: ['emit'],
  accepting: ['emit'],
  authenticating: ['emit'],
  preparing: ['emit'],
  ready: ['emit', 'sendCompleted', 'pong', 'timer:heartbeat', 'timer:batchFlush'],
  closing: ['emit', 'sendCompleted'],
  closed: ['emit'],
};

/** A transition table: the edges between phases and the inputs each phase takes without moving. */
export interface TransitionTable {
  readonly transitions: readonly Transition[];
  readonly stayInputs: Readonly<Record<Phase, readonly Trigger[]>>;
}

/** The reference table (`transitions` and `stayInputs`), the one `step` uses. */
export const referenceTable: TransitionTable = { transitions, stayInputs };

/**
 * Per phase, the triggers it accepts (`true`): those on an edge out of it and those it stays
 * on. Plain objects: `step` looks one up per input, and a Set's `has` cost 10% of its steps
 * per second (bench/core.bench.ts's workload).
 */
export type AcceptedTriggers = Readonly<Record<Phase, Readonly<Partial<Record<Trigger, true>>>>>;

/**
 * What each phase of `table` accepts: a trigger on an edge out of the phase or in its
 * `stayInputs`. Every other trigger is rejected in that phase. Pure.
 *
 * @example acceptedTriggers(referenceTable).closed.connect // undefined: closed rejects connect
 */
export function acceptedTriggers(table: TransitionTable): AcceptedTriggers {
  const accepted = {} as Record<Phase, Partial<Record<Trigger, true>>>;
  for (const phase of phases) {
    accepted[phase] = {};
    for (const trigger of table.stayInputs[phase]) accepted[phase][trigger] = true;
  }
  for (const edge of table.transitions) for (const trigger of edge.on) accepted[edge.from][trigger] = true;
  return accepted;
}

/** Seed phase names (SPEC section 4) beside each reference phase, for designs' `phaseAliases`. */
export const seedPhaseNames: Readonly<Record<Phase, readonly string[]>> = {
  connecting: ['INITIALIZING', 'CONNECTING'],
  accepting: ['ACCEPTING'],
  authenticating: ['ACCEPTED', 'AUTHENTICATING'],
  preparing: ['AUTHENTICATED', 'SERVICES_READY'],
  ready: ['CONNECTED', 'PROCESSING_READY'],
  closing: ['DISCONNECTING'],
  closed: ['DISCONNECTED', 'CLOSED', 'FAILED'],
};

/**
 * Whether `from -> to` is an edge of the table. Pure. Same phase is not a change: false.
 *
 * @example isTransition('preparing', 'ready') // true; isTransition('connecting', 'ready') // false
 */
export function isTransition(from: Phase, to: Phase): boolean {
  return transitions.some((edge) => edge.from === from && edge.to === to);
}

/**
 * Whether the table lets `trigger` move `from` to `to`. Pure.
 *
 * @example isTransitionOn('authenticating', 'closing', 'authFailed') // true
 */
export function isTransitionOn(from: Phase, to: Phase, trigger: Trigger): boolean {
  return transitions.some((edge) => edge.from === from && edge.to === to && edge.on.includes(trigger));
}

/**
 * The trigger of an input: its type, or `timer:<name>` for a fired timer. Pure.
 *
 * @example triggerOf({ type: 'timerFired', name: 'auth' }) // 'timer:auth'
 */
export function triggerOf(input: Input): Trigger {
  return input.type === 'timerFired' ? `timer:${input.name}` : input.type;
}

/**
 * The table as a Mermaid `stateDiagram-v2`, one line per edge labelled with its triggers.
 * Pure; docs/core.md embeds exactly this text (a test keeps them equal).
 *
 * @example mermaidDiagram().startsWith('stateDiagram-v2') // true
 */
export function mermaidDiagram(): string {
  const lines = ['stateDiagram-v2', '  [*] --> connecting'];
  for (const edge of transitions) lines.push(`  ${edge.from} --> ${edge.to}: ${edge.on.join(', ')}`);
  lines.push('  closed --> [*]');
  return lines.join('\n');
}
