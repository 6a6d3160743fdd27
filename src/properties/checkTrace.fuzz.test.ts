/**
 * Checkers on arbitrary well-typed traces: they never throw, and their verdicts are
 * self-consistent (a violation names existing steps, first offending first, and counts as
 * exercised; a quiet verdict names none). Random traces, not realistic ones, on purpose:
 * user designs can write any sequence of entries.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WebSocketState } from '../trace/types.ts';
import { phases } from '../core/transitions.ts';
import { properties } from './checkTrace.ts';
import { contextFor, eventFrame, TraceBuilder } from './traceBuilder.ts';

const conn = fc.constantFrom('c1', 'c2', 'c3');
const eventId = fc.constantFrom('e1', 'e2', 'e3', 'e4');
const state = fc.constantFrom<WebSocketState>('CONNECTING', 'CONNECTED', 'DISCONNECTED');
const phase = fc.constantFrom<string>(...phases, 'ODD');

type Op = (b: TraceBuilder) => void;
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.tuple(conn, fc.constantFrom('u1', 'u2')).map(
    ([c, u]): Op =>
      (b) =>
        void b.open(c, u),
  ),
  conn.map(
    (c): Op =>
      (b) =>
        void b.accept(c),
  ),
  fc.tuple(conn, eventId, state, fc.boolean()).map(
    ([c, e, s, err]): Op =>
      (b) =>
        void b.send(c, eventFrame(e), s, err ? 'boom' : undefined),
  ),
  fc.tuple(conn, fc.constantFrom(1000, 1006, 4000)).map(
    ([c, code]): Op =>
      (b) =>
        void b.close(c, code),
  ),
  fc.tuple(conn, state).map(
    ([c, s]): Op =>
      (b) =>
        void b.receive(c, s),
  ),
  conn.map(
    (c): Op =>
      (b) =>
        void b.receivedDisconnect(c),
  ),
  fc.tuple(conn, eventId, fc.option(fc.nat({ max: 4 }), { nil: undefined })).map(
    ([c, e, seq]): Op =>
      (b) =>
        void b.wire(c, eventFrame(e, seq)),
  ),
  conn.map(
    (c): Op =>
      (b) =>
        void b.wireClose(c),
  ),
  fc.tuple(conn, eventId, fc.constantFrom('agent_started', 'agent_thinking')).map(
    ([c, e, t]): Op =>
      (b) =>
        void b.emit(c, e, t),
  ),
  fc
    .tuple(
      conn,
      eventId,
      fc.constantFrom('true', 'false', 'threw') as fc.Arbitrary<'true' | 'false' | 'threw'>,
    )
    .map(
      ([c, e, r]): Op =>
        (b) =>
          void b.emitReturned(c, e, r),
    ),
  eventId.map(
    (e): Op =>
      (b) =>
        void b.broadcast(e),
  ),
  conn.map(
    (c): Op =>
      (b) =>
        void b.appClose(c),
  ),
  fc.tuple(conn, fc.boolean()).map(
    ([c, ok]): Op =>
      (b) =>
        void b.auth(c, ok),
  ),
  fc.tuple(conn, phase, phase, fc.boolean()).map(
    ([c, f, t, applied]): Op =>
      (b) =>
        void b.phase(c, f, t, applied),
  ),
  fc.tuple(conn, fc.nat({ max: 10 })).map(
    ([c, size]): Op =>
      (b) =>
        void b.buffer(c, size),
  ),
  fc.tuple(conn, eventId).map(
    ([c, e]): Op =>
      (b) =>
        void b.outcome(c, e, { kind: 'dropped', reason: 'overflow' }),
  ),
  fc.constant<Op>((b) => void b.settled({ c1: 'ready', c2: 'connecting' })),
  fc.constant<Op>((b) => void b.unsettled('stuck')),
);

describe('checkers on arbitrary traces', () => {
  it('never throw and give self-consistent verdicts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(op, fc.nat({ max: 30 })), { maxLength: 40 }),
        fc.constantFrom('reducer', 'handler') as fc.Arbitrary<'reducer' | 'handler'>,
        fc.constantFrom('lan', 'ideal') as fc.Arbitrary<'lan' | 'ideal'>,
        (ops, kind, profile) => {
          const b = new TraceBuilder();
          let t = 0;
          for (const [write, dt] of ops) write(b.at((t += dt)));
          const run = b.run();
          for (const property of properties) {
            const verdict = property.check(run, contextFor(kind, { profile }));
            expect(verdict.id).toBe(property.id);
            if (verdict.status === 'violated') {
              if (run.trace.length > 0) expect(verdict.steps.length).toBeGreaterThan(0);
              expect(verdict.exercised).toBeGreaterThan(0);
              for (const step of verdict.steps) expect(run.trace[step]?.i).toBe(step);
            } else {
              expect(verdict.steps).toEqual([]);
            }
            if (verdict.status === 'not-exercised') expect(verdict.exercised).toBe(0);
            if (verdict.status === 'held') expect(verdict.exercised).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
