/**
 * P13 no-transport-error (SPEC section 7): the simulated socket never raised a RuntimeError,
 * and no exception escaped a connection's handler (SPEC section 11: real and Python apps).
 */
import { defineProperty, type PropertyDef } from './fold.ts';
import { Findings } from './findings.ts';
import { where } from './frames.ts';
import type { AppHandlerRaised } from '../trace/entry.ts';
import type { TraceRecord } from '../trace/types.ts';

/**
 * Violated by any entry with `errorKind: 'RuntimeError'`; the message quotes the exact
 * error text, e.g. `Cannot call "send" once a close message has been sent.`. Violated too by
 * an exception escaping a connection's handler (`app/handlerRaised`, which the real
 * recorders write: `errorKind` one of the trace's kinds, `detail.exception` the class), whatever
 * its kind, naming the call that raised it (`detail.raisedBy`:
 * the recorded call whose exception escaped), and saying so when that call was on another
 * connection: a broadcast's send to a vanished client that kills the sender's handler.
 * Exercised by every socket call (`app/*` entries).
 *
 * @example p13NoTransportError.check(run, ctx).message // 'c1: accept raised RuntimeError "..." (t=75ms)'
 */
export const p13NoTransportError: PropertyDef = defineProperty({
  id: 'P13',
  name: 'no-transport-error',
  summary:
    'The server socket never raises a RuntimeError: every call the app makes is valid in its state; ' +
    "and no exception escapes a connection's handler.",
  precondition: 'a socket call by the app',
  reads: ['app', 'client', 'net', 'workload', 'design', 'harness'],
  init: (run) => ({ findings: new Findings('P13'), trace: run.trace }),
  step({ findings, trace }, entry) {
    if (entry.actor === 'app' && entry.action === 'handlerRaised') {
      findings.exercised++;
      findings.violate(...handlerRaised(entry, trace));
      return;
    }
    socketCall(findings, entry);
  },
  // An entry of a kind the union does not know is judged like any other: by its errorKind.
  stepOther: ({ findings }, record) => socketCall(findings, record),
  finish: ({ findings }) => findings.verdict(),
});

/** Any entry through the read view: an app entry is a socket call; a RuntimeError it raised is a violation. */
function socketCall(findings: Findings, entry: TraceRecord): void {
  if (entry.actor === 'app') findings.exercised++;
  if (entry.errorKind !== 'RuntimeError') return;
  const { conn, at } = where(entry);
  const call = entry.message === undefined ? entry.action : `${entry.action} of ${entry.message}`;
  findings.violate([entry.i], `${conn}: ${call} raised RuntimeError "${entry.error ?? ''}" ${at}`);
}

/** The steps and message of an exception escaping a handler, with the call that raised it. */
function handlerRaised(entry: AppHandlerRaised, trace: readonly TraceRecord[]): [number[], string] {
  const { conn, at } = where(entry);
  // The exception's class (`detail.exception`, e.g. websockets.exceptions.ConnectionClosedError), else its kind.
  const kind = entry.detail.exception.split('.').at(-1) ?? entry.errorKind;
  const raised = `${conn}: its handler raised ${kind} "${entry.error ?? ''}"`;
  const by = entry.detail.raisedBy;
  const call = by === null ? undefined : trace[by];
  if (call === undefined) return [[entry.i], `${raised} ${at}`];
  const what = call.message ?? call.action;
  const on =
    call.conn === entry.conn ? `on ${call.conn ?? '-'}` : `on ${call.conn ?? '-'} (another connection)`;
  return [[entry.i, call.i], `${raised}, from the ${what} ${on} that raised at step ${call.i} ${at}`];
}
