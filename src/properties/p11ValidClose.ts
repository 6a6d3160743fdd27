/**
 * P11 valid-close (SPEC sections 3 and 7, RFC 6455 section 7.4): only allowed close codes,
 * a reason of at most 123 bytes of UTF-8, at most one close frame per connection.
 */
import { isValidCloseCode, isValidCloseReason } from '../core/closeCodes.ts';
import type { JsonValue } from '../core/types.ts';
import { defineProperty, type PropertyDef } from './fold.ts';
import { Findings } from './findings.ts';
import { isCloseWire, where } from './frames.ts';

/**
 * Violated by an `app/close` whose code is not allowed (1000-1003, 1007-1014, 3000-4999;
 * never 1004, 1005, 1006, 1015) or whose reason exceeds 123 bytes of UTF-8, and by a second
 * close frame on the wire of one connection. Exercised by every close attempted.
 *
 * @example p11ValidClose.check(run, ctx).status // 'held'
 */
export const p11ValidClose: PropertyDef = defineProperty({
  id: 'P11',
  name: 'valid-close',
  summary:
    'Every close the app sends uses an allowed code (never 1004, 1005, 1006 or 1015) and a reason of ' +
    'at most 123 bytes, and each connection sends at most one close frame.',
  precondition: 'a close attempted by the app',
  reads: ['app', 'net'],
  init: () => ({ findings: new Findings('P11'), firstCloseFrame: new Map<string, number>() }),
  step({ findings, firstCloseFrame }, entry) {
    const conn = entry.conn;
    if (conn === null) return;
    const { at } = where(entry);
    if (entry.actor === 'app' && entry.action === 'close') {
      findings.exercised++;
      // Starlette's close() defaults: code 1000, empty reason.
      const code = fieldOf(entry.frame, 'code') ?? 1000;
      const reason = fieldOf(entry.frame, 'reason') ?? '';
      if (typeof code !== 'number' || !isValidCloseCode(code)) {
        findings.violate([entry.i], `${conn}: close with code ${JSON.stringify(code)}, not allowed ${at}`);
      }
      if (typeof reason !== 'string' || !isValidCloseReason(reason)) {
        findings.violate([entry.i], `${conn}: close reason longer than 123 bytes of UTF-8 ${at}`);
      }
    } else if (isCloseWire(entry)) {
      const first = firstCloseFrame.get(conn);
      if (first === undefined) firstCloseFrame.set(conn, entry.i);
      else
        findings.violate(
          [entry.i, first],
          `${conn}: second close frame on the wire (first at step ${first}) ${at}`,
        );
    }
  },
  finish: ({ findings }) => findings.verdict(),
});

function fieldOf(frame: JsonValue | undefined, key: string): JsonValue | undefined {
  if (frame === null || frame === undefined || typeof frame !== 'object' || Array.isArray(frame))
    return undefined;
  return (frame as { readonly [k: string]: JsonValue })[key];
}
