/**
 * Simulation throughput: simulated connection lifecycles per second (connect, auth, 100
 * emits, close; lan profile) for the reference design, against a baseline of the same
 * lifecycle driven through a trivial inline handler design.
 *
 * Run: npx tsx bench/sim.bench.ts [iterations]
 */
import { reference } from '../src/designs/reference.ts';
import { Prng } from '../src/sim/prng.ts';
import { profiles } from '../src/sim/profiles.ts';
import { runScenario } from '../src/sim/runScenario.ts';
import type { Command, Design, HandlerDesign, Scenario, ServerConnection } from '../src/sim/types.ts';

const emitsPerLifecycle = 100;

/** Accept, authenticate, send every emit straight to the socket, close on request. */
const trivial: HandlerDesign = {
  kind: 'handler',
  name: 'trivial',
  create(env) {
    const registry = new Map<string, ServerConnection>();
    return {
      async handle(conn) {
        await conn.socket.accept();
        await env.services.authenticate(conn);
        registry.set(conn.id, conn);
      },
      async emit(connId, event) {
        const conn = registry.get(connId);
        if (conn === undefined || conn.socket.applicationState !== 'CONNECTED') return false;
        await conn.socket.sendJson({ id: event.id, type: event.type, payload: event.payload ?? null });
        return true;
      },
      async close(connId, code, reason) {
        const conn = registry.get(connId);
        if (conn !== undefined && conn.socket.applicationState === 'CONNECTED')
          await conn.socket.close(code, reason);
      },
    };
  },
};

function lifecycle(seed: number): Scenario {
  const commands: Command[] = [{ atMs: 0, kind: 'open', conn: 'c1', userId: 'u1' }];
  // Emits start once a lan connection is surely ready (handshake + auth + prepare < 60 ms).
  for (let k = 0; k < emitsPerLifecycle; k++) {
    commands.push({
      atMs: 60 + k * 2,
      kind: 'emit',
      conn: 'c1',
      eventType: k % 2 === 0 ? 'agent_thinking' : 'tool_executing',
    });
  }
  commands.push({
    atMs: 60 + emitsPerLifecycle * 2 + 20,
    kind: 'appClose',
    conn: 'c1',
    code: 1000,
    reason: 'done',
  });
  const rng = Prng.fromSeed(seed);
  const choices = Array.from({ length: 4 * commands.length }, () => rng.nextUint32());
  return { knobs: profiles.lan, environment: 'production', commands, choices };
}

async function measure(
  design: Design,
  iterations: number,
): Promise<{ perSecond: number; delivered: number }> {
  let delivered = 0;
  // Warm-up so the JIT has compiled the hot paths before timing.
  for (let k = 0; k < 20; k++) await runScenario(design, lifecycle(k));
  const start = performance.now();
  for (let k = 0; k < iterations; k++) {
    const result = await runScenario(design, lifecycle(1000 + k));
    delivered += result.trace.filter((e) => e.actor === 'net' && e.message === 'websocket.send').length;
  }
  const seconds = (performance.now() - start) / 1000;
  return { perSecond: iterations / seconds, delivered: delivered / iterations };
}

const iterations = Number(process.argv[2] ?? 300);
const baseline = await measure(trivial, iterations);
const measured = await measure(reference as Design, iterations);
console.log(
  `sim bench: ${iterations} lifecycles each (connect, auth, ${emitsPerLifecycle} emits, close; lan)`,
);
console.log(
  `  trivial handler   ${baseline.perSecond.toFixed(0)} lifecycles/s  (${baseline.delivered.toFixed(1)} frames delivered each)`,
);
console.log(
  `  reference reducer ${measured.perSecond.toFixed(0)} lifecycles/s  (${measured.delivered.toFixed(1)} frames delivered each)`,
);
console.log(`  ratio reference/trivial: ${(measured.perSecond / baseline.perSecond).toFixed(2)}`);
