/**
 * P13 no-transport-error (SPEC section 7): the simulated socket never raised a RuntimeError.
 */
import type { RunResult } from '../../sim/types.ts';
import type { PropertyDef, PropertyVerdict } from '../propertyTypes.ts';
import { Findings } from './findings.ts';
import { where } from './frames.ts';

/**
 * Violated by any entry with `errorKind: 'RuntimeError'`; the message quotes the exact
 * error text, e.g. `Cannot call "send" once a close message has been sent.`.
 * Exercised by every socket call (`app/*` entries).
 *
 * @example p13NoTransportError.check(run, ctx).message // 'c1: accept raised RuntimeError "..." (t=75ms)'
 */
export const p13NoTransportError: PropertyDef = {
  id: 'P13',
  name: 'no-transport-error',
  summary: 'The server socket never raises a RuntimeError: every call the app makes is valid in its state.',
  precondition: 'a socket call by the app',
  check(run: RunResult): PropertyVerdict {
    const findings = new Findings('P13');
    for (const entry of run.trace) {
      if (entry.actor === 'app') findings.exercised++;
      if (entry.errorKind !== 'RuntimeError') continue;
      const { conn, at } = where(entry);
      const call = entry.message === undefined ? entry.action : `${entry.action} of ${entry.message}`;
      findings.violate([entry.i], `${conn}: ${call} raised RuntimeError "${entry.error ?? ''}" ${at}`);
    }
    return findings.verdict();
  },
};
