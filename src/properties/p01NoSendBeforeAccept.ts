/**
 * P1 no-send-before-accept (SPEC section 7): no data frame before the transport's accept
 * completed.
 */
import { defineProperty, type PropertyDef } from './fold.ts';
import { Findings } from './findings.ts';
import { isDataSend, where } from './frames.ts';

/**
 * Violated by an `app/send` of `websocket.send` with `before.app !== 'CONNECTED'` on a
 * connection whose `app/accept` has not completed (no accept entry with
 * `after.app === 'CONNECTED'` and no error yet).
 * Exercised by every connection whose upgrade reached the server (`client/connect`: the app
 * runs for it from then on, and the window before its accept opens), and by every data send
 * attempted, or emit made, on a connection not yet accepted.
 *
 * @example p01NoSendBeforeAccept.check(run, ctx).status // 'held'
 */
export const p01NoSendBeforeAccept: PropertyDef = defineProperty({
  id: 'P1',
  name: 'no-send-before-accept',
  summary:
    'No data frame is sent on a connection before its accept completed ' +
    '(the source of Starlette\'s "Need to call accept first" on send).',
  precondition: 'a connection reaching the app, or a data send or emit before its accept',
  reads: ['client', 'app', 'workload'],
  init: () => ({ findings: new Findings('P1'), accepted: new Set<string>() }),
  step({ findings, accepted }, entry) {
    const conn = entry.conn;
    if (conn === null) return;
    if (entry.actor === 'client' && entry.action === 'connect') {
      findings.exercised++;
    } else if (entry.actor === 'app' && entry.action === 'accept') {
      if (entry.after?.app === 'CONNECTED' && entry.error === undefined) accepted.add(conn);
    } else if (entry.actor === 'workload' && entry.action === 'emit') {
      if (!accepted.has(conn)) findings.exercised++;
    } else if (isDataSend(entry) && !accepted.has(conn)) {
      findings.exercised++;
      // The socket's own state is the authority: CONNECTED means an accept did happen.
      if (entry.before?.app === 'CONNECTED') return;
      const { at } = where(entry);
      const state = entry.before?.app ?? 'unknown';
      const raised = entry.error === undefined ? '' : `: ${entry.errorKind ?? 'Error'} ${entry.error}`;
      findings.violate(
        [entry.i],
        `${conn}: send of websocket.send while applicationState ${state} ${at}${raised}`,
      );
    }
  },
  finish: ({ findings }) => findings.verdict(),
});
