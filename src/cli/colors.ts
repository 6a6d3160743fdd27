/**
 * Whether the report is coloured, and the colours. picocolors supplies the escape codes
 * (and closes nested colours correctly); the decision is ours, so that it follows the
 * documented rules and nothing else (picocolors' own also reads argv and `CI`).
 */
import pc from 'picocolors';
import type { Paint } from '../report/report.ts';
import type { Io } from './io.ts';

/**
 * Colour on when FORCE_COLOR is set (and not `0`), off when NO_COLOR is set (no-color.org),
 * else on exactly when stdout is a terminal whose TERM is not `dumb`. Pure.
 *
 * @example
 * colorEnabled({ ...io, outIsTTY: true, env: { NO_COLOR: '1' } }); // false
 */
export function colorEnabled(io: Pick<Io, 'outIsTTY' | 'env'>): boolean {
  const env = io.env ?? {};
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '0' && force !== 'false') return true;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  return io.outIsTTY === true && env['TERM'] !== 'dumb';
}

/** The report's colours: real escape codes or the identity. Pure. */
export function paintFor(io: Pick<Io, 'outIsTTY' | 'env'>): Paint {
  const c = pc.createColors(colorEnabled(io));
  return { bad: (s) => c.bold(c.red(s)), good: c.green, warn: c.yellow, dim: c.dim, strong: c.bold };
}
