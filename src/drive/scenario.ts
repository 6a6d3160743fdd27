/**
 * The client scenarios `ws-lifecycle drive` plays against a live server: a seeded list of
 * client actions on 1-4 connections (open, bursts of text messages, normal closes, abrupt
 * vanishing, a paused reader), with delays between them. Generating one is pure: the same
 * seed and run index give the same scenario; playing it (executeScenario.ts) is real time.
 */
import { assertNever } from '../core/assertNever.ts';
import { Prng } from '../sim/prng.ts';

/** A client action; `afterMs`: how long after the previous action started this one starts. */
export type DriveAction =
  | { readonly type: 'open'; readonly conn: number; readonly afterMs: number }
  | {
      readonly type: 'burst';
      readonly conn: number;
      readonly afterMs: number;
      /** Text messages sent, 1-30. */
      readonly count: number;
      /** Gap between two messages of the burst, 0-5 ms. */
      readonly gapMs: number;
    }
  | { readonly type: 'close'; readonly conn: number; readonly afterMs: number; readonly code: 1000 | 1001 }
  /** The client disappears: its socket is destroyed without a close frame. */
  | { readonly type: 'vanish'; readonly conn: number; readonly afterMs: number }
  /** The client stops reading (its socket is paused) for `ms`, 100-1000 ms, then resumes. */
  | { readonly type: 'pause'; readonly conn: number; readonly afterMs: number; readonly ms: number };

/** One generated scenario: its connections (numbered from 1, each with a user) and actions. */
export interface DriveScenario {
  readonly seed: number;
  readonly run: number;
  /** `users[k]` is the user of connection k + 1 (two connections may share one: two tabs). */
  readonly users: readonly string[];
  readonly actions: readonly DriveAction[];
}

/** Most actions after the opens: keeps a run around a second of real time. */
const maxSteps = 14;

/** A delay between actions: mostly short, sometimes up to 300 ms. Mutates `rng`. */
function delay(rng: Prng): number {
  return rng.below(4) === 0 ? rng.below(301) : rng.below(21);
}

type ConnState = 'unopened' | 'open' | 'gone';

/** The connections each kind of action can be drawn for, given their states. */
function candidates(states: readonly ConnState[], state: ConnState): number[] {
  return states.flatMap((s, k) => (s === state ? [k + 1] : []));
}

function pick<T>(rng: Prng, items: readonly T[]): T {
  return items[rng.below(items.length)] as T;
}

/** The next action on an open connection, after `previous`. */
function openAction(rng: Prng, conn: number, previous: DriveAction | undefined): DriveAction {
  const roll = rng.below(100);
  if (roll < 50)
    return { type: 'burst', conn, afterMs: delay(rng), count: 1 + rng.below(30), gapMs: rng.below(6) };
  if (roll < 68) {
    // Vanishing while another connection's burst is under way (0-15 ms into it), or in the
    // same instant as another client (a network that drops several at once).
    const half = rng.below(2) === 0;
    const afterBurst = previous?.type === 'burst' && half;
    const afterMs = afterBurst ? rng.below(16) : previous?.type === 'vanish' && half ? 0 : delay(rng);
    return { type: 'vanish', conn, afterMs };
  }
  if (roll < 84) return { type: 'close', conn, afterMs: delay(rng), code: rng.below(2) === 0 ? 1000 : 1001 };
  return { type: 'pause', conn, afterMs: delay(rng), ms: 100 + rng.below(901) };
}

/**
 * The scenario of run `run` under `seed`. Pure and deterministic: the run's own PRNG
 * stream is derived from the seed and the run index, so run 7 is the same scenario whether
 * or not runs 0-6 were played.
 *
 * @example
 * driveScenario(42, 7).actions[0]; // { type: 'open', conn: 1, afterMs: 0 }
 */
export function driveScenario(seed: number, run: number): DriveScenario {
  const rng = Prng.fromSeed(seed).derive(`drive:run:${run}`);
  const connections = 1 + rng.below(4);
  const users: string[] = [];
  for (let k = 0; k < connections; k++) {
    // A third of the later connections share an earlier connection's user (another tab).
    users.push(k > 0 && rng.below(3) === 0 ? pick(rng, users) : `u${k + 1}`);
  }
  const states: ConnState[] = users.map(() => 'unopened');
  const actions: DriveAction[] = [{ type: 'open', conn: 1, afterMs: 0 }];
  states[0] = 'open';
  const steps = 3 + rng.below(maxSteps - 2);
  for (let s = 0; s < steps; s++) {
    const unopened = candidates(states, 'unopened');
    const open = candidates(states, 'open');
    if (open.length === 0 && unopened.length === 0) break;
    // Opens come early: a connection that opens late has little left to do.
    if (unopened.length > 0 && (open.length === 0 || rng.below(2) === 0)) {
      const conn = unopened[0] as number;
      states[conn - 1] = 'open';
      actions.push({ type: 'open', conn, afterMs: delay(rng) });
      continue;
    }
    const action = openAction(rng, pick(rng, open), actions[actions.length - 1]);
    if (action.type === 'vanish' || action.type === 'close') states[action.conn - 1] = 'gone';
    actions.push(action);
  }
  return { seed, run, users, actions };
}

/**
 * The scenario without action `index` (for shrinking a live finding). Pure.
 *
 * @example withoutAction(s, 2).actions.length === s.actions.length - 1;
 */
export function withoutAction(scenario: DriveScenario, index: number): DriveScenario {
  return { ...scenario, actions: scenario.actions.filter((_, k) => k !== index) };
}

/**
 * One line per action, e.g. `+12ms c2 burst 7 msgs (gap 3 ms)`. Pure.
 *
 * @example describeScenario(driveScenario(1, 0))[0]; // '+0ms conn 1 (user u1) open'
 */
export function describeScenario(scenario: DriveScenario): string[] {
  return scenario.actions.map((a) => {
    const who = `conn ${a.conn} (user ${scenario.users[a.conn - 1] ?? '?'})`;
    const what = ((): string => {
      switch (a.type) {
        case 'open':
          return 'open';
        case 'burst':
          return `burst of ${a.count} message(s), ${a.gapMs} ms apart`;
        case 'close':
          return `close ${a.code}`;
        case 'vanish':
          return 'vanish (socket destroyed, no close frame)';
        case 'pause':
          return `pause reading for ${a.ms} ms`;
        default:
          return assertNever(a);
      }
    })();
    return `+${a.afterMs}ms ${who} ${what}`;
  });
}
