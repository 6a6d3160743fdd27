/**
 * The endpoint's dependencies as the fault model shapes them: authentication (delay,
 * failure) and per-connection service preparation (delay).
 */
import type { SimContext } from './context.ts';
import { shouldFailAuth } from './faults.ts';
import type { ServerConnection, SimServices } from './types.ts';

/**
 * Services for one run. `authenticate` writes `design/auth` (P5 reads it) for every kind
 * of design, and reports the result to `onAuth`.
 *
 * @example
 * const services = createServices(context, () => {});
 * const ok = await services.authenticate(conn); // after authDelay, false on injected failure
 */
export function createServices(
  context: SimContext,
  onAuth: (conn: string, ok: boolean) => void,
): SimServices {
  const { chooser, knobs, runtime, trace } = context;
  return {
    async authenticate(conn: ServerConnection): Promise<boolean> {
      // Always a real await, even with no delay: an auth service call yields the loop.
      await runtime.sleep(chooser.choose('authDelay', knobs.authDelayMsMax));
      const ok = !shouldFailAuth(context);
      trace.write({ conn: conn.id, actor: 'design', action: 'auth', detail: { ok } });
      onAuth(conn.id, ok);
      return ok;
    },
    async prepare(_conn: ServerConnection): Promise<void> {
      await runtime.sleep(chooser.choose('prepareDelay', knobs.prepareDelayMsMax));
    },
  };
}
