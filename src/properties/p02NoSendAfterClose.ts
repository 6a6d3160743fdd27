/**
 * P2 no-send-after-close (SPEC section 7, RFC 6455 section 5.5.1): no data frame after a
 * close frame was sent or received.
 */
import type { TraceEntry } from '../trace/entry.ts';
import { defineProperty, type PropertyDef } from './fold.ts';
import { Findings } from './findings.ts';
import { isCloseWire, isDataSend, isDataWire, where } from './frames.ts';

/** Why a connection counts as closed, and where: the first such entry wins. */
interface ClosedBy {
  readonly i: number;
  readonly what: string;
}

/**
 * Violated by an `app/send` data call after an `app/close` on that connection or after the
 * app received `websocket.disconnect`, and by a `net/wire` data frame after a close frame
 * left on that connection. Exercised each time, after such a close, a data send is attempted
 * or an event is emitted (or broadcast) towards a closed connection.
 *
 * @example p02NoSendAfterClose.check(run, ctx).status // 'held'
 */
export const p02NoSendAfterClose: PropertyDef = defineProperty({
  id: 'P2',
  name: 'no-send-after-close',
  summary:
    'No data frame is sent after a close frame was sent or received on that connection ' +
    '(the source of "Cannot call send once a close message has been sent").',
  precondition: 'a data send, emit or broadcast towards a connection after its close',
  reads: ['workload', 'app', 'net'],
  init: () => ({
    findings: new Findings('P2'),
    appClosed: new Map<string, ClosedBy>(),
    wireClosed: new Map<string, ClosedBy>(),
  }),
  step({ findings, appClosed, wireClosed }, entry) {
    const conn = entry.conn;
    if (conn === null) {
      if (entry.actor === 'workload' && entry.action === 'broadcast' && appClosed.size > 0)
        findings.exercised++;
      return;
    }
    if (entry.actor === 'app' && entry.action === 'close') {
      markClosed(appClosed, conn, entry, 'app close');
    } else if (
      entry.actor === 'app' &&
      entry.action === 'received' &&
      entry.message === 'websocket.disconnect'
    ) {
      markClosed(appClosed, conn, entry, 'websocket.disconnect received');
    } else if (isCloseWire(entry)) {
      markClosed(wireClosed, conn, entry, 'close frame on the wire');
    } else if (entry.actor === 'workload' && entry.action === 'emit') {
      if (appClosed.has(conn)) findings.exercised++;
    } else if (isDataSend(entry)) {
      const closed = appClosed.get(conn);
      if (closed === undefined) return;
      findings.exercised++;
      const raised = entry.error === undefined ? '' : `: ${entry.error}`;
      findings.violate(
        [entry.i, closed.i],
        `${conn}: send of websocket.send after ${closed.what} at step ${closed.i} ${where(entry).at}${raised}`,
      );
    } else if (isDataWire(entry)) {
      const closed = wireClosed.get(conn);
      if (closed === undefined) return;
      findings.exercised++;
      findings.violate(
        [entry.i, closed.i],
        `${conn}: data frame on the wire after ${closed.what} at step ${closed.i} ${where(entry).at}`,
      );
    }
  },
  finish: ({ findings }) => findings.verdict(),
});

function markClosed(closed: Map<string, ClosedBy>, conn: string, entry: TraceEntry, what: string): void {
  if (!closed.has(conn)) closed.set(conn, { i: entry.i, what });
}
