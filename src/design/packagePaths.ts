/**
 * Where this package's own files are, from the sources (src/cli/) or from the build
 * (dist/src/cli/), wherever the package is installed. Paths come from `fileURLToPath`, so a
 * folder with a space or a non-ASCII character is read as it is named.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `.ts` when running the sources (through tsx or vitest), `.js` when running the build. */
export const moduleExtension: '.ts' | '.js' = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** The nearest folder above this module holding a package.json: the package root. */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('ws-lifecycle: no package.json above the command line modules');
    dir = up;
  }
  return dir;
}

/** The package root (holds package.json, fixtures/expectations, docs/). */
export const packageRoot: string = findPackageRoot();

/** fixtures/expectations of this package. */
export const expectationsDir: string = join(packageRoot, 'fixtures', 'expectations');

/**
 * The bundled design modules (fixtures/designs): beside src/ in a checkout, beside dist/src/
 * in the build, so always two folders up from this module.
 */
export const bundledDesignsDir: string = fileURLToPath(new URL('../../fixtures/designs/', import.meta.url));

/** The package version, from package.json. Reads a file. */
export function packageVersion(): string {
  const json = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof json.version === 'string' ? json.version : 'unknown';
}
