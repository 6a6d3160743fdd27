/**
 * fast-check arbitrary of a whole simulation `Scenario`: connections, workload commands,
 * environment, fault knobs and the schedule's tie-break `choices`.
 *
 * Everything nondeterministic in a run is generated data here, so fast-check shrinks the
 * interleaving together with the workload (fc.scheduler cannot shrink interleavings; ours
 * can, because the simulation reads every tie-break from `choices`).
 */
import fc from 'fast-check';
import { perMillionScale } from '../sim/chooser.ts';
import { profiles, swarmBounds, swarmDraw, zeroKnobs } from '../sim/profiles.ts';
import type { Command, Environment, FaultKnobs, ProfileName, Scenario } from '../sim/types.ts';

/** A profile name, or `swarm`: the knobs themselves are drawn per run. */
export type ExploreProfile = ProfileName | 'swarm';

/** Every profile name `scenarioArb` accepts, in report order. */
export const exploreProfiles: readonly ExploreProfile[] = ['ideal', 'lan', 'cloud-run', 'hostile', 'swarm'];

/** The five agent event types of the seeds; the critical ones are listed in the core config. */
export const eventTypes = [
  'agent_started',
  'agent_thinking',
  'tool_executing',
  'tool_completed',
  'agent_completed',
] as const;

/**
 * The user ids a run's connections get, by family: connection k belongs to the id at
 * `(k + drawn) % 5`, so a run shrunk to distinct users has the first two ids of its family,
 * which each family picks to show its own relation. Every family keeps an id that is a
 * prefix of another (a design keying on `startsWith` or a substring mixes them up).
 *
 * - `short`: u1/u10 and u2/u21 share a prefix. Every profile's runs have them.
 * - `emails`: long ids differing only at the end (`user-0001@` / `user-0002@`), as a design
 *   keying on a short prefix (`userId.slice(0, 8)`, git-style) never meets among short ids.
 * - `uuids`: UUIDv7-like, whose leading characters are a timestamp, so ids made close in time
 *   share them (the first two differ in their last character only); one is the first in upper
 *   case.
 * - `cases`: ids equal ignoring case (`alice@` / `Alice@`), which a design folding case
 *   (`toLowerCase()`, a case-insensitive collation) takes for one user.
 *
 * @example
 * userIdFamilies.emails[0]; // 'user-0001@example.com'
 */
export const userIdFamilies = {
  short: ['u1', 'u2', 'u3', 'u10', 'u21'],
  emails: [
    'user-0001@example.com',
    'user-0002@example.com',
    'user-0003@example.com',
    'user-0001@example.com.au',
    'user-0002@example.co',
  ],
  uuids: [
    '0190a6e2-7b3c-7d4e-8f5a-6b7c8d9e0f01',
    '0190a6e2-7b3c-7d4e-8f5a-6b7c8d9e0f02',
    '0190a6e2-9c4d-7e5f-a06b-7c8d9e0f1a23',
    '0190A6E2-7B3C-7D4E-8F5A-6B7C8D9E0F01',
    '0190a6e2-7b3c-7d4e-8f5a-6b7c8d9e0f0',
  ],
  cases: [
    'alice@example.com',
    'Alice@example.com',
    'bob@example.com',
    'alice@example.com.au',
    'ALICE@EXAMPLE.COM',
  ],
} as const satisfies Record<string, readonly [string, string, string, string, string]>;

/** A family of `userIdFamilies`. */
export type UserIdFamily = keyof typeof userIdFamilies;

/** The profiles whose runs may draw a realistic id family; the others keep the short ids. */
export const realisticIdProfiles: readonly ExploreProfile[] = ['hostile', 'swarm'];
// Four connections: two tabs of one user and a reconnect happen alongside other users.
const maxConnections = 4;
// Valid codes first: shrinking moves towards them, so a counterexample only keeps an invalid
// code when the invalid code is what matters.
const appCloseCodes = [1000, 1001, 1008, 1011, 4000, 1005, 1006, 999] as const;
const peerCloseCodes = [1000, 1001, 1006] as const;
// Close reasons around RFC 6455's 123-byte limit, in ASCII and in 2- and 3-byte UTF-8: a
// design that counts characters instead of bytes passes the ASCII one and fails the others.
const closeReasons = [
  '',
  'done',
  'x'.repeat(124),
  'é'.repeat(61), // 122 bytes: allowed
  '€'.repeat(41), // 123 bytes: allowed
  'é'.repeat(62), // 124 bytes in 62 characters: too long
  `${'€'.repeat(41)}!`, // 124 bytes in 42 characters: too long
] as const;

/** A command before it is bound to an opened connection (`connIndex` modulo the count). */
type Draft =
  | { readonly kind: 'emit'; readonly connIndex: number; readonly atMs: number; readonly eventType: string }
  | {
      // An agent emitting as soon as its connection is there (ms after the upgrade arrived).
      readonly kind: 'onConnect';
      readonly connIndex: number;
      readonly sinceConnectMs: number;
      readonly types: readonly string[];
    }
  | {
      readonly kind: 'burst';
      readonly connIndex: number;
      readonly atMs: number;
      readonly types: readonly string[];
    }
  | {
      // An emit (or a broadcast) and a close of the same connection a few ms apart.
      readonly kind: 'closeRace';
      readonly connIndex: number;
      readonly atMs: number;
      /**
       * Emitted (or broadcast, or sent by the browser) at `atMs`, then the close `closeGapMs`
       * later, then `after`.
       */
      readonly before: readonly string[];
      readonly after: readonly string[];
      readonly partner: 'emit' | 'broadcast' | 'client';
      readonly closeGapMs: number;
      readonly afterGapMs: number;
      readonly code: number;
    }
  | { readonly kind: 'broadcast'; readonly atMs: number; readonly eventType: string }
  | {
      readonly kind: 'appClose';
      readonly connIndex: number;
      readonly atMs: number;
      readonly code: number;
      readonly reason: string;
    }
  | { readonly kind: 'peerClose'; readonly connIndex: number; readonly atMs: number; readonly code: number }
  | { readonly kind: 'abrupt'; readonly connIndex: number; readonly atMs: number }
  | {
      readonly kind: 'clientMessage';
      readonly connIndex: number;
      readonly atMs: number;
      readonly text: string;
    };

// Times are biased towards the first 30 ms, where accept, auth and the first emits race.
const atMsArb = fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 400 }));
const connIndexArb = fc.nat({ max: maxConnections - 1 });
const eventTypeArb = fc.constantFrom(...eventTypes);
const criticalTypeArb = fc.constantFrom(
  'agent_started',
  'tool_executing',
  'tool_completed',
  'agent_completed',
);

const draftArb: fc.Arbitrary<Draft> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('emit'),
      connIndex: connIndexArb,
      atMs: atMsArb,
      eventType: eventTypeArb,
    }),
    weight: 5,
  },
  {
    // An overflow burst before ready with a critical head: the case seed 000's buffer gets wrong.
    arbitrary: fc.record({
      kind: fc.constant('burst'),
      connIndex: connIndexArb,
      atMs: fc.integer({ min: 0, max: 20 }),
      types: fc
        // size 'max': lengths spread over 1..19, so bursts often overflow the default
        // capacity (8) and also capacity + sends in flight (12), while shrinking can still
        // cut a burst down to two events.
        .array(eventTypeArb, { minLength: 1, maxLength: 19, size: 'max' })
        .map((rest): readonly string[] => ['agent_started', ...rest]),
    }),
    weight: 1,
  },
  {
    // Critical events only: an overflow finds every buffered event critical (refuse, never drop).
    arbitrary: fc.record({
      kind: fc.constant('burst'),
      connIndex: connIndexArb,
      atMs: fc.integer({ min: 0, max: 20 }),
      types: fc.array(criticalTypeArb, { minLength: 2, maxLength: 14, size: 'max' }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('onConnect'),
      connIndex: connIndexArb,
      sinceConnectMs: fc.nat({ max: 2 }),
      types: fc.array(eventTypeArb, { minLength: 1, maxLength: 4 }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('closeRace'),
      connIndex: connIndexArb,
      atMs: atMsArb,
      before: fc.array(eventTypeArb, { maxLength: 3 }),
      after: fc.array(eventTypeArb, { minLength: 1, maxLength: 3 }),
      partner: fc.constantFrom('emit', 'broadcast', 'client'),
      closeGapMs: fc.nat({ max: 3 }),
      afterGapMs: fc.nat({ max: 3 }),
      code: fc.constantFrom(1000, 1001),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('broadcast'), atMs: atMsArb, eventType: eventTypeArb }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('appClose'),
      connIndex: connIndexArb,
      atMs: atMsArb,
      code: fc.constantFrom(...appCloseCodes),
      reason: fc.constantFrom(...closeReasons),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('peerClose'),
      connIndex: connIndexArb,
      atMs: atMsArb,
      code: fc.constantFrom(...peerCloseCodes),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('abrupt'), connIndex: connIndexArb, atMs: atMsArb }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('clientMessage'),
      connIndex: connIndexArb,
      atMs: atMsArb,
      text: fc.constantFrom('hello', 'pong:1'),
    }),
    weight: 1,
  },
);

/** Swarm mode: every knob drawn within `swarmBounds` (profiles.ts), in its order. */
const swarmKnobsArb: fc.Arbitrary<FaultKnobs> = fc
  .record(
    Object.fromEntries(
      Object.entries(swarmBounds).map(([knob, max]) => [knob, fc.integer({ min: 0, max })]),
    ) as Record<keyof typeof swarmBounds, fc.Arbitrary<number>>,
  )
  .map(swarmDraw);

/**
 * The profile's knobs, or (one run in eight) no fault and no latency at all: the calm
 * schedule of `ideal`, where same-ms races show that latency hides. So a richer profile
 * finds at least what `ideal` finds, on a share of its budget.
 */
function knobsArb(profile: ExploreProfile): fc.Arbitrary<FaultKnobs> {
  const own = profile === 'swarm' ? swarmKnobsArb : fc.constant(profiles[profile]);
  if (profile === 'ideal') return own;
  return fc.oneof({ arbitrary: own, weight: 7 }, { arbitrary: fc.constant(zeroKnobs), weight: 1 });
}

type ConfigOverrides = NonNullable<Scenario['configOverrides']>;

/**
 * One run in four has the heartbeat on (short interval, small missed-pong limit), so pong
 * delays beyond the deadline close connections in the profiles that delay pongs.
 */
const configOverridesArb: fc.Arbitrary<ConfigOverrides | null> = fc.oneof(
  { arbitrary: fc.constant(null), weight: 3 },
  {
    arbitrary: fc.record({
      heartbeatIntervalMs: fc.constantFrom(200, 100, 400),
      missedPongLimit: fc.constantFrom(1, 2),
    }),
    weight: 1,
  },
);

interface Opening {
  readonly atMs: number;
  readonly user: number;
}

/**
 * An agent that goes quiet and comes back: `types` emitted to one connection that no command
 * closes, `idleMs` after its last agent command. The other drafts all fall within the first
 * ~400 ms of a run, so without it nothing a design does after an idle second (a worker that
 * times out its wait and is restarted, an idle close, an expiring session) would ever run.
 */
export interface Resume {
  readonly connIndex: number;
  readonly idleMs: number;
  readonly types: readonly string[];
}

// Half the gaps sit within 2 ms of a round second (timeouts are round numbers, and a race
// between a timeout and a new item sits on its edge; shrinking moves onto the edge), the
// rest anywhere from half a second to six.
const idleMsArb = fc.oneof(
  fc
    .record({ seconds: fc.integer({ min: 1, max: 5 }), offsetMs: fc.integer({ min: -2, max: 2 }) })
    .map(({ seconds, offsetMs }) => seconds * 1000 + offsetMs),
  fc.integer({ min: 500, max: 6000 }),
);

// One run in four has a resume; the resume's own first shrink is no resume.
const resumeArb: fc.Arbitrary<Resume | null> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constant(null), weight: 3 },
  {
    arbitrary: fc.record({
      connIndex: connIndexArb,
      idleMs: idleMsArb,
      types: fc.array(eventTypeArb, { minLength: 1, maxLength: 3 }),
    }),
    weight: 1,
  },
);

// Half the runs of a profile that draws them have realistic ids; the first shrink of a run's
// family is the short ids, then the emails (the first family).
const realisticIdsArb: fc.Arbitrary<UserIdFamily | null> = fc.oneof(
  { withCrossShrink: true },
  fc.constant(null),
  fc.constantFrom('emails', 'uuids', 'cases'),
);

/** The id family draw of `profile`'s runs: `null` stands for the short ids. */
function userIdFamilyArb(profile: ExploreProfile): fc.Arbitrary<UserIdFamily | null> {
  return realisticIdProfiles.includes(profile) ? realisticIdsArb : fc.constant(null);
}

// Most connections open in the first 20 ms; some open later (a reconnect, a second tab).
const openingsArb = fc.array(
  fc.record({
    atMs: fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: 20 }), weight: 3 },
      fc.integer({ min: 0, max: 300 }),
    ),
    user: fc.nat({ max: userIdFamilies.short.length - 1 }),
  }),
  { minLength: 1, maxLength: maxConnections },
);

/**
 * Binds drafts (and the resume, when there is one) to the opened connections, with user ids
 * from `family`, and sorts every command by time. Pure. A command never precedes its
 * connection's `open` (the stable sort keeps opens first at a tie).
 */
export function buildCommands(
  openings: readonly Opening[],
  drafts: readonly Draft[],
  resume: Resume | null = null,
  family: UserIdFamily = 'short',
): Command[] {
  const ids = userIdFamilies[family];
  const opens: Command[] = openings.map((o, k) => ({
    atMs: o.atMs,
    kind: 'open',
    conn: `c${k + 1}`,
    // Connection k belongs to the family's (k+1)-th user unless the draw says otherwise: two
    // connections of one user happen, but shrinking moves towards distinct users.
    userId: ids[(k + o.user) % ids.length] ?? ids[0],
  }));
  const rest: Command[] = [];
  for (const d of drafts) {
    if (d.kind === 'broadcast') {
      rest.push({ atMs: d.atMs, kind: 'broadcast', eventType: d.eventType });
      continue;
    }
    const k = d.connIndex % openings.length;
    pushDraft(rest, d, `c${k + 1}`, openings[k]?.atMs ?? 0);
  }
  if (resume !== null) rest.push(...resumed(openings, rest, resume));
  // Array.prototype.sort is stable, so same-time commands keep their generated order.
  return [...opens, ...rest].sort((a, b) => a.atMs - b.atMs);
}

/** The commands of one draft (not a broadcast) on connection `conn`, opened at `openAt`, pushed onto `rest`. */
function pushDraft(
  rest: Command[],
  d: Exclude<Draft, { kind: 'broadcast' }>,
  conn: string,
  openAt: number,
): void {
  // What the browser does (peer close, vanish) is timed from the run's start; what the
  // server's agents and cleanup do is timed from the connection's arrival, when the app
  // starts to know it.
  // The browser acts no earlier than its connection opened.
  const fromStart = (ms: number): number => Math.max(ms, openAt);
  // Agent commands are written out field by field (atMs, sinceConnectMs first): spreading a
  // helper's object into each was a twentieth of a lan run's CPU before the JIT warmed up.
  switch (d.kind) {
    case 'emit':
      rest.push({ atMs: openAt, sinceConnectMs: d.atMs, kind: 'emit', conn, eventType: d.eventType });
      break;
    case 'burst':
      for (const eventType of d.types)
        rest.push({ atMs: openAt, sinceConnectMs: d.atMs, kind: 'emit', conn, eventType });
      break;
    case 'onConnect':
      for (const eventType of d.types)
        rest.push({ atMs: openAt, sinceConnectMs: d.sinceConnectMs, kind: 'emit', conn, eventType });
      break;
    case 'closeRace':
      rest.push(...closeRaceCommands(d, conn, openAt));
      break;
    case 'appClose':
      rest.push({
        atMs: openAt,
        sinceConnectMs: d.atMs,
        kind: 'appClose',
        conn,
        code: d.code,
        reason: d.reason,
      });
      break;
    case 'peerClose':
      rest.push({ atMs: fromStart(d.atMs), kind: 'peerClose', conn, code: d.code });
      break;
    case 'abrupt':
      rest.push({ atMs: fromStart(d.atMs), kind: 'abrupt', conn });
      break;
    case 'clientMessage':
      rest.push({ atMs: fromStart(d.atMs), kind: 'clientMessage', conn, text: d.text });
      break;
    default:
      return assertNeverDraft(d);
  }
}

/**
 * A close racing events: `before` at the draft's time, the app's close `closeGapMs` later,
 * `after` `afterGapMs` after the close; each event an emit, a broadcast or a client message.
 */
function closeRaceCommands(
  d: Extract<Draft, { kind: 'closeRace' }>,
  conn: string,
  openAt: number,
): Command[] {
  const closeAt = d.atMs + d.closeGapMs;
  const event = (eventType: string, at: number): Command => {
    if (d.partner === 'broadcast')
      return { atMs: openAt, sinceConnectMs: at, kind: 'broadcast', eventType, anchor: conn };
    // The browser's message reaches the receive loop around the close: what a loop that
    // reads on after its own close trips over.
    if (d.partner === 'client')
      return { atMs: openAt, sinceConnectMs: at, kind: 'clientMessage', conn, text: 'hello' };
    return { atMs: openAt, sinceConnectMs: at, kind: 'emit', conn, eventType };
  };
  return [
    ...d.before.map((type) => event(type, d.atMs)),
    { atMs: openAt, sinceConnectMs: closeAt, kind: 'appClose', conn, code: d.code, reason: '' },
    ...d.after.map((type) => event(type, closeAt + d.afterGapMs)),
  ];
}

/**
 * The resume's emits: to the `connIndex`-th (modulo) of the connections no command closes
 * (app close, peer close, abrupt disconnect), `idleMs` after its latest agent command, or
 * after its arrival when it has none: the gap is idle time on a connection that is still
 * there. None when a command closes every connection. Pure.
 */
function resumed(openings: readonly Opening[], commands: readonly Command[], resume: Resume): Command[] {
  const closed = new Set<string>();
  for (const c of commands)
    if (c.kind === 'appClose' || c.kind === 'peerClose' || c.kind === 'abrupt') closed.add(c.conn);
  const live = openings
    .map((o, k) => ({ conn: `c${k + 1}`, openAt: o.atMs }))
    .filter((o) => !closed.has(o.conn));
  // Undefined exactly when no connection is left (the index is then NaN).
  const target = live[resume.connIndex % live.length];
  if (target === undefined) return [];
  const { conn, openAt } = target;
  let lastMs = 0;
  for (const c of commands) {
    if ('sinceConnectMs' in c && c.sinceConnectMs !== undefined && 'conn' in c && c.conn === conn)
      lastMs = Math.max(lastMs, c.sinceConnectMs);
  }
  return resume.types.map((eventType): Command => ({
    atMs: openAt,
    sinceConnectMs: lastMs + resume.idleMs,
    kind: 'emit',
    conn,
    eventType,
  }));
}

function assertNeverDraft(x: never): never {
  throw new Error(`unexpected draft ${JSON.stringify(x)}`);
}

const environmentArb: fc.Arbitrary<Environment> = fc.constantFrom(
  'production',
  'development',
  'testing',
  'staging',
);

/**
 * The arbitrary of scenarios for one profile (or `swarm`). Deterministic for a given
 * fast-check seed and path, which is what makes `replay` exact.
 *
 * @example
 * fc.sample(scenarioArb('lan'), { seed: 1, numRuns: 1 })[0]?.commands[0]; // an `open` command
 */
export function scenarioArb(profile: ExploreProfile): fc.Arbitrary<Scenario> {
  return scenarioArbWith(profile);
}

/** The draws `scenarioArbWith` can replace; each one left out is `scenarioArb`'s own. */
export interface ScenarioDraws {
  readonly resume?: fc.Arbitrary<Resume | null>;
  /** `null` draws the short ids. */
  readonly userIdFamily?: fc.Arbitrary<UserIdFamily | null>;
}

/**
 * `scenarioArb` with other arbitraries of the resume or of the id family (a test passes
 * `fc.constant(null)` to show that each, drawn last, leaves every other field of a seed's
 * runs as it was).
 *
 * @example
 * scenarioArbWith('hostile', { userIdFamily: fc.constant(null) }); // hostile, short ids only
 */
export function scenarioArbWith(profile: ExploreProfile, draws: ScenarioDraws = {}): fc.Arbitrary<Scenario> {
  const resume = draws.resume ?? resumeArb;
  const userIdFamily = draws.userIdFamily ?? userIdFamilyArb(profile);
  return fc
    .record({
      knobs: knobsArb(profile),
      environment: environmentArb,
      openings: openingsArb,
      drafts: fc.array(draftArb, { maxLength: 8 }),
      // Raw choices span the per-million range a fault predicate reads (noBias: uniform, so
      // each fault fires at its stated rate); shrinking moves them to 0 (no fault, FIFO).
      choices: fc.array(fc.noBias(fc.nat({ max: perMillionScale - 1 })), { maxLength: 64 }),
      // The stream after the prefix: always seeded when generated (faults keep firing at
      // their rate all run); 0, where shrinking moves first, means a calm tail (null).
      tailSeed: fc.noBias(fc.nat()).map((n) => (n === 0 ? null : n)),
      configOverrides: profile === 'ideal' ? fc.constant(null) : configOverridesArb,
      // After the fields above, so that adding it left their values (and the runs without a
      // resume) as they were for a given seed.
      resume,
      // Last, for the same reason: a run with the short ids is the run it was before the
      // realistic ones existed, and ideal, lan and cloud-run (constant null) are unchanged.
      userIdFamily,
    })
    .map((drawn): Scenario => {
      const { knobs, environment, openings, drafts, choices, tailSeed, configOverrides, resume } = drawn;
      const scenario: Scenario = {
        knobs,
        environment,
        commands: buildCommands(openings, drafts, resume, drawn.userIdFamily ?? 'short'),
        choices,
        tailSeed,
      };
      return configOverrides === null ? scenario : { ...scenario, configOverrides };
    });
}
