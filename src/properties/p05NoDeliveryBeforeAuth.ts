/**
 * P5 no-delivery-before-auth (SPEC section 7): nothing reaches the wire before
 * authentication succeeded.
 */
import type { RunResult } from '../trace/types.ts';
import type { CheckContext, PropertyDef, PropertyVerdict } from './propertyTypes.ts';
import { Findings } from './findings.ts';
import { codecOf, detailBoolean, eventIdsOf, isDataWire, where } from './frames.ts';

/**
 * Violated by a `net/wire` data frame on a connection before its `design/auth` with
 * `ok: true` (an auth failure never unlocks the wire). Exercised by every emit to, and every
 * data frame written on, a connection not yet authenticated.
 *
 * @example p05NoDeliveryBeforeAuth.check(run, ctx).status // 'held'
 */
export const p05NoDeliveryBeforeAuth: PropertyDef = {
  id: 'P5',
  name: 'no-delivery-before-auth',
  summary: 'No data frame reaches the wire on a connection before its authentication succeeded.',
  precondition: 'an emit or a data frame on a connection not yet authenticated',
  check(run: RunResult, ctx: CheckContext): PropertyVerdict {
    const findings = new Findings('P5');
    const codec = codecOf(ctx);
    const authenticated = new Set<string>();
    for (const entry of run.trace) {
      const conn = entry.conn;
      if (conn === null || authenticated.has(conn)) continue;
      if (entry.actor === 'design' && entry.action === 'auth') {
        if (detailBoolean(entry, 'ok') === true) authenticated.add(conn);
      } else if (entry.actor === 'workload' && entry.action === 'emit') {
        findings.exercised++;
      } else if (isDataWire(entry)) {
        findings.exercised++;
        const events = eventIdsOf(entry, codec);
        const what = events.length > 0 ? `event ${events.join(', ')}` : 'a data frame';
        findings.violate(
          [entry.i],
          `${conn}: ${what} on the wire before authentication succeeded ${where(entry).at}`,
        );
      }
    }
    return findings.verdict();
  },
};
