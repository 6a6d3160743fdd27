/**
 * P5 no-delivery-before-auth (SPEC section 7): nothing reaches the wire before
 * authentication succeeded.
 */
import { defineProperty, type PropertyDef } from './fold.ts';
import { Findings } from './findings.ts';
import { isDataWire, where } from './frames.ts';

/**
 * Violated by a `net/wire` data frame on a connection before its `design/auth` with
 * `ok: true` (an auth failure never unlocks the wire). Exercised by every emit to, and every
 * data frame written on, a connection not yet authenticated.
 *
 * @example p05NoDeliveryBeforeAuth.check(run, ctx).status // 'held'
 */
export const p05NoDeliveryBeforeAuth: PropertyDef = defineProperty({
  id: 'P5',
  name: 'no-delivery-before-auth',
  summary: 'No data frame reaches the wire on a connection before its authentication succeeded.',
  precondition: 'an emit or a data frame on a connection not yet authenticated',
  reads: ['design', 'workload', 'net'],
  init: () => ({ findings: new Findings('P5'), authenticated: new Set<string>() }),
  step({ findings, authenticated }, entry, facts) {
    const conn = entry.conn;
    if (conn === null || authenticated.has(conn)) return;
    if (entry.actor === 'design' && entry.action === 'auth') {
      if (entry.detail.ok) authenticated.add(conn);
    } else if (entry.actor === 'workload' && entry.action === 'emit') {
      findings.exercised++;
    } else if (isDataWire(entry)) {
      findings.exercised++;
      const events = facts.eventIdsOf(entry);
      const what = events.length > 0 ? `event ${events.join(', ')}` : 'a data frame';
      findings.violate(
        [entry.i],
        `${conn}: ${what} on the wire before authentication succeeded ${where(entry).at}`,
      );
    }
  },
  finish: ({ findings }) => findings.verdict(),
});
