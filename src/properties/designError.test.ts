import { describe, expect, it } from 'vitest';
import { reference } from '../designs/reference.ts';
import { zeroKnobs } from '../sim/profiles.ts';
import { runScenario } from '../sim/runScenario.ts';
import type { Design, HandlerDesign, Scenario } from '../sim/types.ts';
import { checkTrace } from './checkTrace.ts';
import { contextOf } from '../explore/explore.ts';

const scenario: Scenario = {
  knobs: zeroKnobs,
  environment: 'production',
  choices: [],
  commands: [
    { atMs: 0, kind: 'open', conn: 'c1', userId: 'u1' },
    { atMs: 5, kind: 'emit', conn: 'c1', eventType: 'agent_started' },
    { atMs: 9, kind: 'appClose', conn: 'c1', code: 1000, reason: 'done' },
  ],
};

async function verdictOf(design: Design): Promise<{ status: string; message: string }> {
  const run = await runScenario(design, scenario);
  const de = checkTrace(run, contextOf(design, 'ideal')).find((v) => v.id === 'DE');
  return { status: de?.status ?? 'missing', message: de?.message ?? '' };
}

const quietHandler = (name: string, patch: Partial<ReturnType<HandlerDesign['create']>>): HandlerDesign => ({
  kind: 'handler',
  name,
  create: () => ({
    async handle(conn) {
      await conn.socket.accept();
    },
    async emit() {
      return false;
    },
    async close() {},
    ...patch,
  }),
});

describe('DE design-error', () => {
  it('holds for the reference', async () => {
    expect((await verdictOf(reference)).status).toBe('held');
  });

  it.each([
    [
      'initial',
      {
        ...reference,
        name: 'x',
        initial: () => {
          throw new Error('config not loaded');
        },
      },
    ],
    [
      'phaseOf',
      {
        ...reference,
        name: 'x',
        phaseOf: () => {
          throw new TypeError('no phase');
        },
      },
    ],
    [
      'bufferedCount',
      {
        ...reference,
        name: 'x',
        bufferedCount: () => {
          throw new RangeError('bad');
        },
      },
    ],
  ] as const)('a reducer whose %s throws fails with the function named', async (fn, design) => {
    const v = await verdictOf(design as Design);
    expect(v.status).toBe('violated');
    expect(v.message).toContain(`design error in ${fn}`);
  });

  it('a reducer step returning an unknown effect fails as malformed, with the input', async () => {
    const design: Design = {
      ...reference,
      name: 'x',
      step(s, input) {
        const r = reference.step(s as never, input);
        return input.type === 'emit'
          ? { state: r.state, effects: [...r.effects, { type: 'sned' } as never] }
          : r;
      },
    };
    const v = await verdictOf(design);
    expect(v.status).toBe('violated');
    expect(v.message).toMatch(/design error in step on emit: effect \d+ is not a known effect/);
  });

  it('a handler whose handle raises a TypeError fails; one raising a modelled exception does not', async () => {
    const typeError = quietHandler('x', {
      async handle(conn) {
        await conn.socket.accept();
        const settings = undefined as unknown as { timeoutMs: number };
        return void settings.timeoutMs;
      },
    });
    expect((await verdictOf(typeError)).message).toContain('design error in handle: TypeError');
    const disconnect = quietHandler('x', {
      async handle(conn) {
        await conn.socket.accept();
        await conn.socket.receiveText(); // WebSocketDisconnect once the client leaves
      },
    });
    expect((await verdictOf(disconnect)).status).toBe('held');
  });

  it('a handler whose emit or create throws a plain Error fails', async () => {
    const emit = quietHandler('x', {
      async emit() {
        throw new Error('queue missing');
      },
    });
    expect((await verdictOf(emit)).message).toContain('design error in emit: Error: queue missing');
    const create: HandlerDesign = {
      kind: 'handler',
      name: 'x',
      create() {
        throw new Error('no config');
      },
    };
    expect((await verdictOf(create)).message).toContain('design error in create');
  });
});
