import { describe, expect, it } from 'vitest';
import { defaultConfig, initial, phaseOf, bufferedCount, type State } from './state.ts';
import { step } from './step.ts';
import { stepAll } from './stepAll.ts';
import { phases, stayInputs, transitions, type Trigger } from './transitions.ts';
import type { AgentEvent, Effect, Input, LifecycleConfig, Phase } from './types.ts';

const ev = (id: string, type = 'agent_thinking'): AgentEvent => ({ id, type });
const emit = (id: string, type = 'agent_thinking'): Input => ({ type: 'emit', event: ev(id, type) });

const allTriggers: readonly Trigger[] = [
  'connect',
  'acceptCompleted',
  'authSucceeded',
  'authFailed',
  'servicesReady',
  'emit',
  'sendCompleted',
  'sendFailed',
  'appClose',
  'peerClose',
  'closeCompleted',
  'transportError',
  'pong',
  'timer:handshake',
  'timer:auth',
  'timer:prepare',
  'timer:heartbeat',
  'timer:batchFlush',
  'timer:closeHandshake',
];

function inputFor(trigger: Trigger): Input {
  switch (trigger) {
    case 'authSucceeded':
      return { type: 'authSucceeded', userId: 'u1' };
    case 'authFailed':
      return { type: 'authFailed', reason: 'bad token' };
    case 'emit':
      return emit('live');
    case 'sendFailed':
      return { type: 'sendFailed', error: 'peer gone' };
    case 'appClose':
      return { type: 'appClose', code: 1000, reason: 'done' };
    case 'peerClose':
      return { type: 'peerClose', code: 1001, reason: '' };
    case 'transportError':
      return { type: 'transportError', error: 'reset' };
    case 'pong':
      return { type: 'pong', nonce: 1 };
    default:
      if (trigger.startsWith('timer:')) return { type: 'timerFired', name: trigger.slice(6) as never };
      return { type: trigger } as Input;
  }
}

const pathTo: Record<Phase, readonly Input[]> = {
  connecting: [],
  accepting: [{ type: 'connect' }],
  authenticating: [{ type: 'connect' }, { type: 'acceptCompleted' }],
  preparing: [{ type: 'connect' }, { type: 'acceptCompleted' }, { type: 'authSucceeded', userId: 'u1' }],
  ready: [
    { type: 'connect' },
    { type: 'acceptCompleted' },
    { type: 'authSucceeded', userId: 'u1' },
    { type: 'servicesReady' },
  ],
  closing: [...pathToReady(), { type: 'appClose', code: 1000, reason: 'bye' }],
  closed: [...pathToReady(), { type: 'appClose', code: 1000, reason: 'bye' }, { type: 'closeCompleted' }],
};
function pathToReady(): Input[] {
  return [
    { type: 'connect' },
    { type: 'acceptCompleted' },
    { type: 'authSucceeded', userId: 'u1' },
    { type: 'servicesReady' },
  ];
}

function reach(phase: Phase, config: LifecycleConfig = defaultConfig): State {
  const { state } = stepAll(initial(config), pathTo[phase]);
  expect(phaseOf(state)).toBe(phase);
  return state;
}

const ofType = <T extends Effect['type']>(effects: readonly Effect[], type: T) =>
  effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
const outcomes = (effects: readonly Effect[]) =>
  ofType(effects, 'outcome').map(
    (e) => `${e.eventId}:${e.outcome.kind}:${'seq' in e.outcome ? e.outcome.seq : e.outcome.reason}`,
  );
const sentSeqs = (effects: readonly Effect[]) =>
  ofType(effects, 'send').flatMap((e) =>
    e.frame.kind === 'event'
      ? [e.frame.seq]
      : e.frame.kind === 'batch'
        ? e.frame.events.map((x) => x.seq)
        : [],
  );
const sentIds = (effects: readonly Effect[]) =>
  ofType(effects, 'send').flatMap((e) =>
    e.frame.kind === 'event'
      ? [e.frame.event.id]
      : e.frame.kind === 'batch'
        ? e.frame.events.map((x) => x.event.id)
        : [],
  );

const heartbeatConfig: LifecycleConfig = { ...defaultConfig, heartbeatIntervalMs: 100, missedPongLimit: 2 };

describe('one test per row of the transition table', () => {
  for (const edge of transitions) {
    for (const trigger of edge.on) {
      it(`${edge.from} -> ${edge.to} on ${trigger}`, () => {
        let state = reach(edge.from, trigger === 'timer:heartbeat' ? heartbeatConfig : defaultConfig);
        if (trigger === 'timer:heartbeat') {
          // Reach the missed-pong limit first: each unanswered ping counts one miss.
          for (let i = 0; i < heartbeatConfig.missedPongLimit; i++) {
            state = step(state, { type: 'timerFired', name: 'heartbeat' }).state;
            expect(phaseOf(state)).toBe('ready');
          }
        }
        const { state: next, effects } = step(state, inputFor(trigger));
        expect(phaseOf(next)).toBe(edge.to);
        expect(ofType(effects, 'rejected')).toEqual([]);
      });
    }
  }
});

describe('inputs a phase does not accept are rejected, phase unchanged, never thrown', () => {
  for (const phase of phases) {
    const moving = new Set(transitions.filter((t) => t.from === phase).flatMap((t) => t.on));
    const refused = allTriggers.filter((t) => !moving.has(t) && !stayInputs[phase].includes(t));
    it(`${phase} rejects ${refused.join(', ')}`, () => {
      const state = reach(phase, heartbeatConfig);
      for (const trigger of refused) {
        const input = inputFor(trigger);
        const { state: next, effects } = step(state, input);
        expect(phaseOf(next), trigger).toBe(phase);
        expect(effects, trigger).toEqual([
          { type: 'rejected', input: input.type, phase, reason: expect.any(String) },
        ]);
        expect(next).toBe(state);
      }
    });
  }
});

describe('handshake, auth and preparation', () => {
  it('connect accepts and arms the handshake deadline; each step cancels the previous deadline', () => {
    const { effects } = stepAll(initial(defaultConfig), pathTo.ready);
    expect(effects).toEqual([
      { type: 'accept' },
      { type: 'setTimer', name: 'handshake', ms: 5000 },
      { type: 'cancelTimer', name: 'handshake' },
      { type: 'startAuth' },
      { type: 'setTimer', name: 'auth', ms: 3000 },
      { type: 'cancelTimer', name: 'auth' },
      { type: 'prepareServices' },
      { type: 'setTimer', name: 'prepare', ms: 3000 },
      { type: 'cancelTimer', name: 'prepare' },
    ]);
  });

  it('auth failure discards the buffer as undeliverable(authFailed), closes 1008 and sends nothing', () => {
    const { state, effects } = stepAll(reach('authenticating'), [
      emit('a', 'agent_started'),
      emit('b'),
      { type: 'authFailed', reason: 'expired' },
    ]);
    expect(phaseOf(state)).toBe('closing');
    expect(outcomes(effects)).toEqual(['a:undeliverable:authFailed', 'b:undeliverable:authFailed']);
    expect(ofType(effects, 'close')).toEqual([
      { type: 'close', code: 1008, reason: 'authentication failed' },
    ]);
    expect(ofType(effects, 'send')).toEqual([]);
  });

  it('deadlines close with their codes: handshake 1011, auth 1008, prepare 1011', () => {
    const cases = [
      ['accepting', 'handshake', 1011],
      ['authenticating', 'auth', 1008],
      ['preparing', 'prepare', 1011],
    ] as const;
    for (const [phase, name, code] of cases) {
      const { state, effects } = step(reach(phase), { type: 'timerFired', name });
      expect(phaseOf(state)).toBe('closing');
      expect(ofType(effects, 'close').map((e) => e.code)).toEqual([code]);
    }
  });

  it('a deadline of 0 arms no timer', () => {
    const config = { ...defaultConfig, handshakeTimeoutMs: 0 };
    const { effects } = step(initial(config), { type: 'connect' });
    expect(effects).toEqual([{ type: 'accept' }]);
  });
});

describe('delivery in ready: order, seq, backpressure', () => {
  const config: LifecycleConfig = { ...defaultConfig, capacity: 4, maxInFlight: 2 };

  it('flushes the buffer in order up to maxInFlight, the rest as sends complete, live events behind', () => {
    const preparing = stepAll(reach('preparing', config), [emit('b1'), emit('b2'), emit('b3')]).state;
    const ready = step(preparing, { type: 'servicesReady' });
    expect(sentIds(ready.effects)).toEqual(['b1', 'b2']);
    expect(bufferedCount(ready.state)).toBe(1);
    const live = step(ready.state, emit('live'));
    expect(sentIds(live.effects)).toEqual([]); // slots full and b3 waiting: live queues behind it
    const done = stepAll(live.state, [
      { type: 'sendCompleted' },
      { type: 'sendCompleted' },
      { type: 'sendCompleted' },
    ]);
    expect(sentIds(done.effects)).toEqual(['b3', 'live']);
    expect(outcomes(done.effects)).toEqual(['b1:delivered:1', 'b2:delivered:2', 'b3:delivered:3']);
  });

  it('a live event in ready goes out at once when nothing is buffered and a slot is free', () => {
    const { effects } = step(reach('ready', config), emit('x'));
    expect(effects).toEqual([{ type: 'send', frame: { kind: 'event', seq: 1, event: ev('x') } }]);
  });

  it('seq is 1..n across buffered and live events, delivered FIFO on sendCompleted', () => {
    const inputs: Input[] = [];
    for (let i = 0; i < 10; i++) inputs.push(emit(`e${i}`), { type: 'sendCompleted' });
    const { effects } = stepAll(reach('ready', config), inputs);
    expect(sentSeqs(effects)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(outcomes(effects)).toEqual(Array.from({ length: 10 }, (_, i) => `e${i}:delivered:${i + 1}`));
  });

  it('under backpressure the buffer applies the overflow policy', () => {
    const inputs = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => emit(id));
    const { state, effects } = stepAll(reach('ready', config), inputs);
    expect(sentIds(effects)).toEqual(['a', 'b']);
    expect(outcomes(effects)).toEqual(['c:dropped:overflow']);
    expect(bufferedCount(state)).toBe(4);
  });

  it('sendFailed closes at once: in-flight and buffered events become undeliverable, no close frame', () => {
    const ready = stepAll(reach('ready', config), [emit('a'), emit('b'), emit('c')]).state;
    const { state, effects } = step(ready, { type: 'sendFailed', error: 'gone' });
    expect(phaseOf(state)).toBe('closed');
    expect(outcomes(effects).sort()).toEqual([
      'a:undeliverable:closed',
      'b:undeliverable:closed',
      'c:undeliverable:closed',
    ]);
    expect(ofType(effects, 'close')).toEqual([]);
  });
});

describe('batching', () => {
  const config: LifecycleConfig = { ...defaultConfig, batching: { size: 3, flushMs: 100 } };

  it('sends a batch when full, keeping order and seq, and disarms the flush timer', () => {
    const { effects } = stepAll(reach('ready', config), [emit('a'), emit('b'), emit('c'), emit('d')]);
    expect(ofType(effects, 'send')).toEqual([
      {
        type: 'send',
        frame: {
          kind: 'batch',
          events: [
            { seq: 1, event: ev('a') },
            { seq: 2, event: ev('b') },
            { seq: 3, event: ev('c') },
          ],
        },
      },
    ]);
    expect(effects.filter((e) => e.type === 'setTimer' || e.type === 'cancelTimer')).toEqual([
      { type: 'setTimer', name: 'batchFlush', ms: 100 },
      { type: 'cancelTimer', name: 'batchFlush' },
      { type: 'setTimer', name: 'batchFlush', ms: 100 },
    ]);
  });

  it('the flush timer sends a partial batch; its completion delivers every event with its seq', () => {
    const { effects } = stepAll(reach('ready', config), [
      emit('a'),
      emit('b'),
      { type: 'timerFired', name: 'batchFlush' },
      { type: 'sendCompleted' },
    ]);
    expect(sentSeqs(effects)).toEqual([1, 2]);
    expect(outcomes(effects)).toEqual(['a:delivered:1', 'b:delivered:2']);
  });

  it('an open batch becomes undeliverable on appClose', () => {
    const { effects } = stepAll(reach('ready', config), [
      emit('a'),
      { type: 'appClose', code: 1001, reason: '' },
    ]);
    expect(outcomes(effects)).toEqual(['a:undeliverable:closed']);
    expect(ofType(effects, 'send')).toEqual([]);
  });
});

describe('heartbeat', () => {
  it('pings on the timer, a pong resets the missed count, the limit closes 1011', () => {
    const hb = { type: 'timerFired', name: 'heartbeat' } as const;
    const answered = stepAll(reach('ready', heartbeatConfig), [
      hb,
      { type: 'pong', nonce: 1 },
      hb,
      { type: 'pong', nonce: 2 },
      hb,
      hb,
    ]);
    expect(phaseOf(answered.state)).toBe('ready');
    expect(ofType(answered.effects, 'send').map((e) => e.frame)).toEqual([
      { kind: 'ping', nonce: 1 },
      { kind: 'ping', nonce: 2 },
      { kind: 'ping', nonce: 3 },
      { kind: 'ping', nonce: 4 },
    ]);
    const { state, effects } = step(answered.state, hb);
    expect(phaseOf(state)).toBe('closing');
    expect(ofType(effects, 'close')).toEqual([{ type: 'close', code: 1011, reason: 'heartbeat timeout' }]);
  });

  it('a pong for a ping never sent is rejected', () => {
    const { effects } = step(reach('ready', heartbeatConfig), { type: 'pong', nonce: 1 });
    expect(ofType(effects, 'rejected')).toHaveLength(1);
  });
});

describe('closing', () => {
  it('appClose with an invalid code or an over-long reason is rejected without a phase change', () => {
    const ready = reach('ready');
    const bad: Input[] = [
      { type: 'appClose', code: 1006, reason: '' },
      { type: 'appClose', code: 1005, reason: '' },
      { type: 'appClose', code: 1015, reason: '' },
      { type: 'appClose', code: 999, reason: '' },
      { type: 'appClose', code: 5000, reason: '' },
      { type: 'appClose', code: 1000, reason: 'é'.repeat(62) },
    ];
    for (const input of bad) {
      const { state, effects } = step(ready, input);
      expect(state).toBe(ready);
      expect(effects.map((e) => e.type)).toEqual(['rejected']);
    }
  });

  it('appClose keeps in-flight sends: they still complete; buffered ones become undeliverable', () => {
    const config = { ...defaultConfig, maxInFlight: 1 };
    const { state, effects } = stepAll(reach('ready', config), [
      emit('a'),
      emit('b'),
      { type: 'appClose', code: 1000, reason: 'bye' },
      { type: 'sendCompleted' },
      emit('late'),
      { type: 'closeCompleted' },
    ]);
    expect(phaseOf(state)).toBe('closed');
    expect(outcomes(effects)).toEqual([
      'b:undeliverable:closed',
      'a:delivered:1',
      'late:undeliverable:closed',
    ]);
    expect(sentIds(effects)).toEqual(['a']);
  });

  it('the close-handshake deadline ends closing', () => {
    const { state, effects } = step(reach('closing'), { type: 'timerFired', name: 'closeHandshake' });
    expect(phaseOf(state)).toBe('closed');
    expect(effects).toEqual([]);
  });

  it('peer close in any phase goes to closed with no close frame and every timer cancelled', () => {
    for (const phase of ['accepting', 'authenticating', 'preparing', 'ready', 'closing'] as const) {
      const path = [...pathTo[phase]];
      const { effects } = stepAll(initial(heartbeatConfig), [
        ...path,
        { type: 'peerClose', code: 1001, reason: '' },
      ]);
      const pending = new Set<string>();
      for (const e of effects) {
        if (e.type === 'setTimer') pending.add(e.name);
        if (e.type === 'cancelTimer') pending.delete(e.name);
      }
      expect(pending, phase).toEqual(new Set());
      const closes = ofType(effects, 'close');
      expect(closes.length, phase).toBe(phase === 'closing' ? 1 : 0); // only the app's own earlier close
    }
  });

  it('closed accepts nothing: emits are undeliverable, other inputs rejected', () => {
    const closed = reach('closed');
    expect(outcomes(step(closed, emit('x')).effects)).toEqual(['x:undeliverable:closed']);
    expect(step(closed, { type: 'peerClose', code: 1000, reason: '' }).effects.map((e) => e.type)).toEqual([
      'rejected',
    ]);
  });
});

describe('purity', () => {
  it('never modifies the state it is given and gives the same result twice', () => {
    const ready = stepAll(reach('ready'), [emit('a'), emit('b')]).state;
    const snapshot = JSON.stringify(ready);
    const first = step(ready, { type: 'sendCompleted' });
    const second = step(ready, { type: 'sendCompleted' });
    expect(JSON.stringify(ready)).toBe(snapshot);
    expect(JSON.stringify(first)).toBe(JSON.stringify(second));
  });

  it('an emit with a malformed event is refused as invalid, not thrown', () => {
    const { effects } = step(reach('ready'), { type: 'emit', event: { id: 7 } as unknown as AgentEvent });
    expect(outcomes(effects)).toEqual(['7:refused:invalid']);
  });
});
