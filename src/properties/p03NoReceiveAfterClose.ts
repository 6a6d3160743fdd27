/**
 * P3 no-receive-after-close (SPEC section 7): the app never calls receive* after
 * applicationState left CONNECTED: the real source of "Need to call accept first".
 */
import { defineProperty, type PropertyDef } from './fold.ts';
import { Findings } from './findings.ts';
import { where } from './frames.ts';

/**
 * Violated by an `app/receive` with `before.app !== 'CONNECTED'` once the application state
 * has been CONNECTED or the app has sent close (that includes after the app's own close),
 * and by any such call that raised. A plain `receive()` while the app is still CONNECTING
 * (what `accept()` does to read `websocket.connect`) is legitimate and not counted.
 * Exercised once per connection on which the app had a receive loop (any `app/receive`) and
 * a close happened (app close, peer close, abrupt disconnect, disconnect received).
 *
 * @example p03NoReceiveAfterClose.check(run, ctx).status // 'held'
 */
export const p03NoReceiveAfterClose: PropertyDef = defineProperty({
  id: 'P3',
  name: 'no-receive-after-close',
  summary:
    'The app never calls receive after its application state left CONNECTED, for instance after its ' +
    'own close: Starlette then raises "Need to call accept first", whatever the network latency.',
  precondition: 'a close on a connection whose app had a receive loop',
  reads: ['app', 'client'],
  init: () => ({
    findings: new Findings('P3'),
    leftConnecting: new Set<string>(),
    receiving: new Set<string>(),
    closed: new Set<string>(),
  }),
  step({ findings, leftConnecting, receiving, closed }, entry) {
    const conn = entry.conn;
    if (conn === null) return;
    if (entry.actor === 'app' && entry.action === 'close') {
      leftConnecting.add(conn);
      closed.add(conn);
    } else if (entry.actor === 'app' && entry.action === 'accept') {
      if (entry.after?.app === 'CONNECTED') leftConnecting.add(conn);
    } else if (
      entry.actor === 'app' &&
      entry.action === 'received' &&
      entry.message === 'websocket.disconnect'
    ) {
      closed.add(conn);
    } else if (entry.actor === 'client' && (entry.action === 'close' || entry.action === 'abrupt')) {
      closed.add(conn);
    } else if (entry.actor === 'app' && entry.action === 'receive') {
      receiving.add(conn);
      const state = entry.before?.app;
      if (state === 'CONNECTED') return;
      if (!leftConnecting.has(conn) && entry.error === undefined) return;
      const raised = entry.error === undefined ? '' : `: ${entry.errorKind ?? 'Error'} ${entry.error}`;
      findings.violate(
        [entry.i],
        `${conn}: receive while applicationState ${state ?? 'unknown'} ${where(entry).at}${raised}`,
      );
    }
  },
  finish({ findings, receiving, closed }) {
    for (const conn of receiving) if (closed.has(conn)) findings.exercised++;
    return findings.verdict();
  },
});
