/**
 * P12 isolation (SPEC section 7): with many connections, an event for user A never reaches
 * user B; broadcast never writes to a closing or closed connection.
 */
import { isValidCloseCode, isValidCloseReason } from '../../core/closeCodes.ts';
import type { RunResult, TraceEntry } from '../../sim/types.ts';
import type { PropertyDef, PropertyVerdict } from '../propertyTypes.ts';
import { Findings } from './findings.ts';
import { detailNumber, detailString, eventIdsOf, isDataSend, isDataWire, where } from './frames.ts';

/**
 * Violated when
 * - an event emitted to connection A is in a data frame on the wire of a connection of
 *   another user (`run.userOf`, or the `workload/open` entries);
 * - the app writes data (`app/send`) on a connection after its close (app close, or
 *   `websocket.disconnect` received);
 * - the app writes, on a connection a cleanup task asked to close (`workload/appClose` with a
 *   valid code and reason), an event emitted or broadcast after that request: the write went
 *   to a closing connection. Frames decided before the request may still drain.
 * Exercised by every event delivered while two or more users are connected, and by every
 * emit or broadcast reaching a connection after its close was requested.
 *
 * @example p12Isolation.check(run, ctx).status // 'held'
 */
export const p12Isolation: PropertyDef = {
  id: 'P12',
  name: 'isolation',
  summary:
    "With many connections, one user's events never reach another user, and no event is written to " +
    'a connection that is closing or closed (seed 004 broadcast).',
  check(run: RunResult): PropertyVerdict {
    const findings = new Findings('P12');
    const userOf = new Map<string, string>(Object.entries(run.userOf));
    const users = new Set<string>(userOf.values());
    const originOf = new Map<string, string>();
    const emittedAt = new Map<string, number>();
    const broadcastAt = new Map<string, number>();
    const closeRequested = new Map<string, number>();
    const closed = new Map<string, number>();
    for (const entry of run.trace) {
      const conn = entry.conn;
      if (entry.actor === 'workload' && entry.action === 'broadcast') {
        const id = detailString(entry, 'eventId');
        if (id !== undefined) broadcastAt.set(id, entry.i);
        findings.exercised += closeRequested.size;
        continue;
      }
      if (conn === null) continue;
      if (entry.actor === 'workload' && entry.action === 'open') {
        const user = detailString(entry, 'userId');
        if (user !== undefined && !userOf.has(conn)) userOf.set(conn, user);
        if (user !== undefined) users.add(user);
      } else if (entry.actor === 'workload' && entry.action === 'emit') {
        const id = detailString(entry, 'eventId');
        if (id === undefined) continue;
        originOf.set(id, conn);
        emittedAt.set(id, entry.i);
        if (closeRequested.has(conn)) findings.exercised++;
      } else if (entry.actor === 'workload' && entry.action === 'appClose') {
        if (isValidRequest(entry) && !closeRequested.has(conn)) closeRequested.set(conn, entry.i);
      } else if (entry.actor === 'app' && (entry.action === 'close' || isDisconnect(entry))) {
        if (!closed.has(conn)) closed.set(conn, entry.i);
      } else if (isDataSend(entry)) {
        const closedAt = closed.get(conn);
        const requestedAt = closeRequested.get(conn);
        const { at } = where(entry);
        if (closedAt !== undefined) {
          findings.violate(
            [entry.i, closedAt],
            `${conn}: data written after the connection closed at step ${closedAt} ${at}`,
          );
        } else if (requestedAt !== undefined) {
          for (const id of eventIdsOf(entry)) {
            const arrived = originOf.get(id) === conn ? emittedAt.get(id) : broadcastAt.get(id);
            if (arrived === undefined || arrived < requestedAt) continue;
            findings.violate(
              [entry.i, requestedAt],
              `${conn}: event ${id} written to a connection closing since step ${requestedAt} ${at}`,
            );
            break;
          }
        }
      } else if (isDataWire(entry)) {
        if (users.size >= 2) findings.exercised++;
        const user = userOf.get(conn);
        for (const id of eventIdsOf(entry)) {
          const origin = originOf.get(id);
          if (origin === undefined || origin === conn) continue;
          const owner = userOf.get(origin);
          if (owner === user) continue;
          findings.violate(
            [entry.i],
            `${conn} (user ${user ?? '?'}): event ${id} for user ${owner ?? '?'} (${origin}) on the wire ${where(entry).at}`,
          );
        }
      }
    }
    return findings.verdict();
  },
};

function isDisconnect(entry: TraceEntry): boolean {
  return entry.action === 'received' && entry.message === 'websocket.disconnect';
}

/** A close request the design should honour; an invalid one it is right to reject. */
function isValidRequest(entry: TraceEntry): boolean {
  const code = detailNumber(entry, 'code') ?? 1000;
  const reason = detailString(entry, 'reason') ?? '';
  return isValidCloseCode(code) && isValidCloseReason(reason);
}
