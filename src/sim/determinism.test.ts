/**
 * Determinism (SPEC section 11): the same scenario gives a byte-identical trace, in one
 * process and across processes.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { reference } from '../designs/reference.ts';
import { runScenario } from './runScenario.ts';
import { serializeTrace } from './trace.ts';
import type { Design } from './types.ts';
import { generateScenario } from './workload.ts';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

describe('determinism', () => {
  it('same scenario twice in one process: identical serialized trace', async () => {
    const scenario = generateScenario(4242, 'hostile', { connections: 4, emits: 12 });
    const a = serializeTrace((await runScenario(reference as Design, scenario)).trace);
    const b = serializeTrace((await runScenario(reference as Design, scenario)).trace);
    expect(a.length).toBeGreaterThan(1000);
    expect(a).toBe(b);
  });

  it('different seeds give different traces (the seed matters)', async () => {
    const a = serializeTrace(
      (await runScenario(reference as Design, generateScenario(1, 'cloud-run'))).trace,
    );
    const b = serializeTrace(
      (await runScenario(reference as Design, generateScenario(2, 'cloud-run'))).trace,
    );
    expect(a).not.toBe(b);
  });

  it('same scenario in another process: identical trace hash', async () => {
    const script = [
      `import { reference } from ${JSON.stringify(join(root, 'src/designs/reference.ts'))};`,
      `import { runScenario } from ${JSON.stringify(join(root, 'src/sim/runScenario.ts'))};`,
      `import { serializeTrace } from ${JSON.stringify(join(root, 'src/sim/trace.ts'))};`,
      `import { generateScenario } from ${JSON.stringify(join(root, 'src/sim/workload.ts'))};`,
      `import { createHash } from 'node:crypto';`,
      `const result = await runScenario(reference, generateScenario(777, 'hostile', { connections: 3, emits: 10 }));`,
      `console.log(createHash('sha256').update(serializeTrace(result.trace)).digest('hex'));`,
    ].join('\n');
    const file = join(mkdtempSync(join(tmpdir(), 'ws-lifecycle-det-')), 'hash.mts');
    writeFileSync(file, script);
    const local = hash(
      serializeTrace(
        (
          await runScenario(
            reference as Design,
            generateScenario(777, 'hostile', { connections: 3, emits: 10 }),
          )
        ).trace,
      ),
    );
    const { stdout } = await run(join(root, 'node_modules/.bin/tsx'), [file], { cwd: root });
    expect(stdout.trim()).toBe(local);
  });
});
