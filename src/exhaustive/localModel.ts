/**
 * One connection of the exhaustive explorer: the inputs its environment may give (the
 * reducer driver's contract), and the monitor that judges every step against the trace
 * properties P1, P2, P4-P11 as `check` reads them from a recorded run.
 */
import { isValidCloseCode, isValidCloseReason } from '../core/closeCodes.ts';
import { isTransition } from '../core/transitions.ts';
import type { AgentEvent, Effect, Input, JsonValue, Phase, TimerName } from '../core/types.ts';
import type { PropertyId } from '../properties/propertyTypes.ts';
import { decodeDefaultFrame } from '../trace/frameCodec.ts';

/** The local alphabet: every input one connection may receive, by label. */
export const localLabels = [
  'connect',
  'acceptCompleted',
  'authSucceeded',
  'authFailed',
  'servicesReady',
  'emit:agent_started',
  'emit:agent_thinking',
  'broadcast:agent_started',
  'broadcast:agent_thinking',
  'sendCompleted',
  'sendFailed',
  'appClose',
  'appClose:1005',
  'peerClose',
  'transportError',
  'closeCompleted',
  'timer:handshake',
  'timer:auth',
  'timer:prepare',
  'timer:heartbeat',
  'timer:batchFlush',
  'timer:closeHandshake',
  'pong',
] as const;

/** A label of `localLabels`. */
export type LocalLabel = (typeof localLabels)[number];

/** Label indexes of the two broadcast inputs (global transitions, not a connection's own). */
export const broadcastLabels: readonly number[] = [
  localLabels.indexOf('broadcast:agent_started'),
  localLabels.indexOf('broadcast:agent_thinking'),
];

/** Event types of the emits: one critical, one not (SPEC section 2). */
const criticalType = 'agent_started';

/** One emitted event as the monitor follows it. */
interface Tracked {
  readonly critical: boolean;
  /** Data frames that carried it so far. */
  wired: number;
  /** The seq its first frame gave it (0: none). */
  seq: number;
  /** Its outcome so far: '' none, else the outcome kind's first letter and reason. */
  outcome: string;
}

/**
 * The environment and property bookkeeping of one connection, part of its state key.
 * Event ids are positions (`ev#k` is the k-th event this connection received), so no
 * counter outside the bounded emit count appears in the key.
 */
export interface Monitor {
  started: boolean;
  acceptPending: boolean;
  accepted: boolean;
  authPending: boolean;
  authed: boolean;
  preparePending: boolean;
  /** Send effects not yet answered by sendCompleted / sendFailed. */
  inFlight: number;
  closesSent: number;
  closePending: boolean;
  /** Direct emits so far (bounded by maxEmits; broadcasts are bounded globally). */
  emits: number;
  events: Tracked[];
  /** Largest event position on the wire so far (P8 order), -1 none. */
  latestWired: number;
  nextSeq: number;
  timers: TimerName[];
  /** Last ping nonce sent, 0 none. */
  ping: number;
}

/** A broken property: its id and one line saying what happened. */
export interface Finding {
  readonly property: PropertyId | 'contract';
  readonly message: string;
}

/** The monitor of a connection before its `connect`. */
export function initialMonitor(): Monitor {
  return {
    started: false,
    acceptPending: false,
    accepted: false,
    authPending: false,
    authed: false,
    preparePending: false,
    inFlight: 0,
    closesSent: 0,
    closePending: false,
    emits: 0,
    events: [],
    latestWired: -1,
    nextSeq: 1,
    timers: [],
    ping: 0,
  };
}

/** A copy that may be mutated (events are copied one level deep). */
export function cloneMonitor(m: Monitor): Monitor {
  return { ...m, events: m.events.map((e) => ({ ...e })), timers: [...m.timers] };
}

/**
 * The monitor as a short string for the state key, over the events in `kept` only (sorted
 * positions), each written at its rank: the key names events by relative order, not by
 * their counter. Pure.
 */
export function monitorKey(m: Monitor, kept: readonly number[]): string {
  const flags =
    (m.started ? 1 : 0) |
    (m.acceptPending ? 2 : 0) |
    (m.accepted ? 4 : 0) |
    (m.authPending ? 8 : 0) |
    (m.authed ? 16 : 0) |
    (m.preparePending ? 32 : 0) |
    (m.closePending ? 64 : 0);
  let events = '';
  for (const k of kept) {
    const e = m.events[k];
    if (e !== undefined) events += `${e.critical ? 'C' : 'n'}${e.wired}${e.seq}${e.outcome};`;
  }
  const latest = kept.indexOf(m.latestWired);
  return `${flags}.${m.inFlight}.${m.closesSent}.${m.emits}.${latest}.${m.nextSeq}.${m.timers.join(',')}.${m.ping}.${events}`;
}

/** The id of the k-th event a connection receives. */
export function eventIdAt(k: number): string {
  return `ev#${k}`;
}

/**
 * The input of `label` for a connection whose monitor is `m` and whose design is in
 * `phase`, or null when the driver would never give it now. Pure.
 */
export function inputFor(label: number, m: Monitor, phase: Phase, maxEmits: number): Input | null {
  const name = localLabels[label];
  if (name === 'connect') return m.started ? null : { type: 'connect' };
  if (!m.started) return null;
  const open = phase !== 'closed';
  switch (name) {
    case 'acceptCompleted':
      return m.acceptPending && open ? { type: 'acceptCompleted' } : null;
    case 'authSucceeded':
      return m.authPending && open ? { type: 'authSucceeded', userId: 'u1' } : null;
    case 'authFailed':
      return m.authPending && open ? { type: 'authFailed', reason: 'denied' } : null;
    case 'servicesReady':
      return m.preparePending && open ? { type: 'servicesReady' } : null;
    case 'emit:agent_started':
    case 'emit:agent_thinking':
      return m.emits < maxEmits ? { type: 'emit', event: eventOf(m.events.length, name.slice(5)) } : null;
    case 'broadcast:agent_started':
    case 'broadcast:agent_thinking':
      return { type: 'emit', event: eventOf(m.events.length, name.slice(10)) };
    case 'sendCompleted':
      return m.inFlight > 0 && open ? { type: 'sendCompleted' } : null;
    case 'sendFailed':
      return m.inFlight > 0 && open ? { type: 'sendFailed', error: 'peer gone' } : null;
    case 'appClose':
      return { type: 'appClose', code: 1000, reason: 'done' };
    case 'appClose:1005':
      return { type: 'appClose', code: 1005, reason: '' };
    case 'peerClose':
      return m.accepted && open ? { type: 'peerClose', code: 1001, reason: '' } : null;
    case 'transportError':
      return open ? { type: 'transportError', error: 'reset' } : null;
    case 'closeCompleted':
      return m.closePending && open ? { type: 'closeCompleted' } : null;
    case 'pong':
      return m.ping > 0 && open ? { type: 'pong', nonce: m.ping } : null;
    default: {
      const timer = name?.startsWith('timer:') === true ? (name.slice(6) as TimerName) : undefined;
      return timer !== undefined && m.timers.includes(timer) && open
        ? { type: 'timerFired', name: timer }
        : null;
    }
  }
}

function eventOf(k: number, type: string): AgentEvent {
  const id = eventIdAt(k);
  // The simulation's events carry their id in the payload too: checkers find events by it.
  return { id, type, payload: { eventId: id } };
}

/** Updates `m` for `input` before its effects. */
export function observeInput(m: Monitor, input: Input): void {
  switch (input.type) {
    case 'connect':
      m.started = true;
      return;
    case 'acceptCompleted':
      m.acceptPending = false;
      m.accepted = true;
      return;
    case 'authSucceeded':
      m.authPending = false;
      m.authed = true;
      return;
    case 'authFailed':
      m.authPending = false;
      return;
    case 'servicesReady':
      m.preparePending = false;
      return;
    case 'emit':
      m.events.push({ critical: input.event.type === criticalType, wired: 0, seq: 0, outcome: '' });
      return;
    case 'sendCompleted':
    case 'sendFailed':
      m.inFlight -= 1;
      return;
    case 'closeCompleted':
      m.closePending = false;
      return;
    case 'timerFired':
      m.timers = m.timers.filter((t) => t !== input.name);
      return;
    default:
      return;
  }
}

/** Position of an `ev#k` id, or -1 for an id this connection never received. */
function positionOf(id: string, m: Monitor): number {
  if (!id.startsWith('ev#')) return -1;
  const k = Number(id.slice(3));
  return Number.isInteger(k) && k >= 0 && k < m.events.length ? k : -1;
}

/** Updates `m` for one effect; returns what it broke, if anything. */
export function observeEffect(m: Monitor, effect: Effect): Finding | null {
  switch (effect.type) {
    case 'accept':
      m.acceptPending = true;
      return null;
    case 'startAuth':
      m.authPending = true;
      return null;
    case 'prepareServices':
      m.preparePending = true;
      return null;
    case 'setTimer':
      if (!m.timers.includes(effect.name)) m.timers = [...m.timers, effect.name].sort();
      return null;
    case 'cancelTimer':
      m.timers = m.timers.filter((t) => t !== effect.name);
      return null;
    case 'send':
      return observeSend(m, effect.frame as unknown as JsonValue);
    case 'close':
      m.closesSent += 1;
      m.closePending = true;
      if (!isValidCloseCode(effect.code))
        return { property: 'P11', message: `close with code ${effect.code}, not allowed` };
      if (!isValidCloseReason(effect.reason))
        return { property: 'P11', message: 'close reason longer than 123 bytes of UTF-8' };
      if (m.closesSent > 1) return { property: 'P11', message: 'second close frame on the wire' };
      return null;
    case 'outcome':
      return observeOutcome(m, effect.eventId, effect.outcome);
    case 'rejected':
      return null;
    default:
      return { property: 'P4', message: `malformed effect ${JSON.stringify(effect)}` };
  }
}

function observeSend(m: Monitor, frame: JsonValue): Finding | null {
  m.inFlight += 1;
  // The reference's frame shapes, read as check's checkers read them (src/trace/frameCodec.ts).
  const events = decodeDefaultFrame(frame) ?? [];
  const seqs = seqsOfFrame(frame);
  if (!m.accepted) return { property: 'P1', message: 'send before the accept completed' };
  if (m.closesSent > 0) return { property: 'P2', message: 'send after the close frame' };
  const record = frame as { readonly kind?: unknown; readonly nonce?: unknown } | null;
  if (record !== null && record.kind === 'ping' && typeof record.nonce === 'number') {
    m.ping = record.nonce;
    return null;
  }
  if (!m.authed) return { property: 'P5', message: 'data frame on the wire before authentication succeeded' };
  for (const seq of seqs ?? []) {
    if (seq !== m.nextSeq) return { property: 'P8', message: `seq ${seq} where ${m.nextSeq} was due` };
    m.nextSeq += 1;
  }
  for (const { eventId: id } of events) {
    const k = positionOf(id, m);
    const e = m.events[k];
    if (e === undefined) continue;
    e.wired += 1;
    if (e.wired > 1) return { property: 'P7', message: `event ${id} reached the wire twice` };
    if (e.outcome !== '')
      return { property: 'P7', message: `event ${id} reached the wire after its outcome ${e.outcome}` };
    e.seq = seqs?.length === 1 ? (seqs[0] ?? 0) : 0;
    if (k < m.latestWired)
      return {
        property: 'P8',
        message: `event ${id} reached the wire after ${eventIdAt(m.latestWired)}, emitted later`,
      };
    m.latestWired = k;
  }
  return null;
}

function observeOutcome(
  m: Monitor,
  id: string,
  outcome: Extract<Effect, { type: 'outcome' }>['outcome'],
): Finding | null {
  const e = m.events[positionOf(id, m)];
  if (e === undefined) return { property: 'P7', message: `outcome for unknown event ${id}` };
  if (e.outcome !== '') return { property: 'P7', message: `second outcome for ${id}: ${outcome.kind}` };
  e.outcome = outcome.kind === 'delivered' ? 'd' : `${outcome.kind[0] ?? '?'}:${outcome.reason}`;
  if (outcome.kind === 'dropped' && e.critical)
    return { property: 'P6', message: `critical event ${id} dropped` };
  if (outcome.kind === 'delivered' && e.wired === 0)
    return { property: 'P7', message: `${id} reported delivered but never reached the wire` };
  if (outcome.kind === 'delivered' && e.seq !== 0 && outcome.seq !== e.seq)
    return {
      property: 'P7',
      message: `${id} delivered with seq ${outcome.seq} but its frame carried ${e.seq}`,
    };
  if (outcome.kind !== 'delivered' && e.wired > 0 && e.outcome !== 'u:closed')
    return { property: 'P7', message: `${id} reached the wire but was reported ${outcome.kind}` };
  return null;
}

/**
 * What a step broke besides its effects: the phase change (P4), the buffer bound (P9),
 * outcomes and timers once closed (P7, P10), a rejection that moved the phase (contract).
 */
export function observeStep(
  m: Monitor,
  input: Input,
  from: Phase,
  to: Phase,
  rejected: boolean,
  buffered: number,
  capacity: number,
): Finding | null {
  if (from !== to && !isTransition(from, to))
    return { property: 'P4', message: `${from} -> ${to} on ${input.type} is not in the transition table` };
  if (rejected && from !== to)
    return {
      property: 'contract',
      message: `${input.type} was rejected but the phase moved ${from} -> ${to}`,
    };
  if (buffered > capacity) return { property: 'P9', message: `buffer ${buffered} > capacity ${capacity}` };
  if (to !== 'closed') return null;
  const open = m.events.findIndex((e) => e.outcome === '');
  if (open >= 0) return { property: 'P7', message: `closed with ${eventIdAt(open)} lacking an outcome` };
  if (m.timers.length > 0)
    return { property: 'P10', message: `closed with timers set: ${m.timers.join(', ')}` };
  return null;
}

/**
 * The seq numbers a frame carries, in order, or null when it carries none: the reference's
 * `{kind:'event', seq}` (one seq) and `{kind:'batch', events:[{seq}]}` (one per item). Pure.
 */
function seqsOfFrame(frame: JsonValue): number[] | null {
  if (frame === null || typeof frame !== 'object' || Array.isArray(frame)) return null;
  const record = frame as { readonly [k: string]: JsonValue };
  if (record['kind'] === 'event' && typeof record['seq'] === 'number') return [record['seq']];
  if (record['kind'] !== 'batch' || !Array.isArray(record['events'])) return null;
  const seqs = (record['events'] as readonly JsonValue[]).flatMap((item) => {
    const seq =
      item !== null && typeof item === 'object' && !Array.isArray(item)
        ? (item as { readonly [k: string]: JsonValue })['seq']
        : undefined;
    return typeof seq === 'number' ? [seq] : [];
  });
  return seqs.length > 0 ? seqs : null;
}
