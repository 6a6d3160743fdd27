/**
 * examples/: designs a user can copy. Each imports only the package's entries
 * (`ws-lifecycle/design`, `ws-lifecycle/core`: resolved through the package's own exports,
 * so against dist/), type-checks with the project (tsconfig.json includes examples/), and is
 * checked here with the built command as a user runs it: the reducer holds everything, and
 * the README's first handler shows the matrix row the README quotes for it.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './cliHarness.ts';

const examples = join(root, 'examples');
const bin = join(root, 'bin/ws-lifecycle.js');

function check(file: string, runs: number): Promise<{ code: number; stdout: string }> {
  if (!existsSync(join(root, 'dist/src/design/index.js')))
    throw new Error('dist/ is missing or stale: run npm run build (npm ci does it) before this test');
  return new Promise((resolve) => {
    execFile(
      'node',
      [bin, 'check', '--design', `./examples/${file}`, '--runs', String(runs)],
      { cwd: root, maxBuffer: 16 << 20 },
      (error, stdout) => resolve({ code: error === null ? 0 : Number(error.code ?? -1), stdout }),
    );
  });
}

/** The matrix row of `name` in `text`, cells single-spaced. */
function row(text: string, name: string): string | undefined {
  return text
    .split('\n')
    .find((line) => line.startsWith(`${name} `))
    ?.replace(/\s+/g, ' ')
    .trim();
}

describe('examples/', () => {
  it('import only the package entries, never the sources', () => {
    const files = readdirSync(examples).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const imports = [...readFileSync(join(examples, file), 'utf8').matchAll(/from '([^']+)'/g)].map(
        (m) => m[1],
      );
      expect(imports.length, file).toBeGreaterThan(0);
      for (const spec of imports) expect(spec, file).toMatch(/^ws-lifecycle\/(design|core)$/);
    }
  });

  it('the reducer example holds every property', async () => {
    const { code, stdout } = await check('reference-reducer.ts', 200);
    expect(row(stdout, 'example-reducer')).toBe(
      'example-reducer ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok',
    );
    expect(code).toBe(0);
  }, 60_000);

  it("the README's first handler shows the row the README quotes for it", async () => {
    const { code, stdout } = await check('first-handler.ts', 500);
    const quoted = row(readFileSync(join(root, 'README.md'), 'utf8'), 'my-design');
    expect(quoted).toBeDefined();
    expect(row(stdout, 'my-design')).toBe(quoted);
    expect(code).toBe(1);
  }, 60_000);
});
