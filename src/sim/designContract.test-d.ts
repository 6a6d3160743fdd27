/**
 * What the design contract lets compile: the three kinds of design narrow on `kind`, a
 * handler's server answers the workload's calls with the types the harness awaits, and a
 * design missing what the harness calls, or giving it the wrong type, does not compile.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { Phase } from '../core/types.ts';
import type {
  Design,
  DesignServer,
  HandlerDesign,
  PythonDesign,
  ReducerDesign,
  SimDesign,
} from './designContract.ts';

declare const design: Design;

describe('the design contract', () => {
  it('narrows on kind: reducer, handler, python', () => {
    if (design.kind === 'reducer') expectTypeOf(design).toEqualTypeOf<ReducerDesign<unknown>>();
    else if (design.kind === 'handler') expectTypeOf(design).toEqualTypeOf<HandlerDesign>();
    else expectTypeOf(design).toEqualTypeOf<PythonDesign>();
    expectTypeOf<SimDesign['kind']>().toEqualTypeOf<'reducer' | 'handler'>();
  });

  it('a handler design is a name and create(env) returning a server', () => {
    const server = {} as DesignServer;
    const ok: HandlerDesign = { kind: 'handler', name: 'h', create: () => server };
    expectTypeOf(ok.create).returns.toEqualTypeOf<DesignServer>();
    // @ts-expect-error a handler design without create
    const noCreate: HandlerDesign = { kind: 'handler', name: 'h' };
    // @ts-expect-error a phase alias that is no reference phase
    const badAlias: HandlerDesign = { ...ok, phaseAliases: { waiting: 'sleeping' } };
    const goodAlias: HandlerDesign = { ...ok, phaseAliases: { waiting: 'connecting' satisfies Phase } };
    void [noCreate, badAlias, goodAlias];
  });

  it('a reducer design steps its own state and reports its phase and buffer', () => {
    type R = ReducerDesign<{ n: number }>;
    expectTypeOf<Parameters<R['phaseOf']>[0]>().toEqualTypeOf<{ n: number }>();
    expectTypeOf<ReturnType<R['phaseOf']>>().toEqualTypeOf<Phase>();
    expectTypeOf<ReturnType<R['bufferedCount']>>().toEqualTypeOf<number>();
  });

  it('a Python design is a file, a route and the hooks it defines', () => {
    const py: PythonDesign = {
      kind: 'python',
      name: 'chat',
      file: '/abs/chat_design.py',
      path: '/ws/{n}',
      hooks: ['emit'],
    };
    // @ts-expect-error a hook the runner does not call
    const badHook: PythonDesign = { ...py, hooks: ['connect'] };
    void badHook;
  });
});
