/**
 * A user's .ts design loads from a CommonJS project (package.json without "type": "module",
 * npm init's default) and from an ESM one, through the sources and through the build; when
 * it cannot load, the one line names the real cause.
 */
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { designFromModule } from './loadDesign.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** tsx by URL: `--import tsx` would resolve it from the scratch project, which has none. */
const tsxLoader = pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href;
const builtBin = join(root, 'bin', 'ws-lifecycle.js');
const builtLoader = join(root, 'dist', 'src', 'design', 'loadDesign.js');
/** The build is tested only when it is at least as new as this loader's source (CI builds it first). */
const buildIsFresh =
  existsSync(builtLoader) &&
  statSync(builtLoader).mtimeMs >=
    statSync(fileURLToPath(new URL('./loadDesign.ts', import.meta.url))).mtimeMs;

const handlerDesign = { kind: 'handler', name: 'h', create: () => ({}) };

describe('designFromModule: the design wherever the module system put it', () => {
  it('an ES module: the design export, or the default export', () => {
    expect(designFromModule({ design: handlerDesign, port: 1 })).toMatchObject({
      design: handlerDesign,
      port: 1,
    });
    expect(designFromModule({ default: handlerDesign }).design).toBe(handlerDesign);
  });

  it('a CommonJS module through tsx: module.exports arrives as default', () => {
    // export const design = ...; (compiled to exports.design)
    expect(designFromModule({ default: { design: handlerDesign, port: 2 } })).toMatchObject({
      design: handlerDesign,
      port: 2,
    });
    // export default design; (compiled to exports.default)
    expect(designFromModule({ default: { default: handlerDesign } }).design).toBe(handlerDesign);
    // module.exports = design;
    expect(designFromModule({ default: handlerDesign, 'module.exports': handlerDesign }).design).toBe(
      handlerDesign,
    );
  });

  it('a mis-shaped default export is the candidate (so its shape is reported), not a layer to search', () => {
    const bad = { kind: 'handler', name: 'x' };
    expect(designFromModule({ default: bad }).design).toBe(bad);
  });

  it('no design: undefined, with the export names the module has, CommonJS or not', () => {
    expect(designFromModule({ myDesign: handlerDesign, other: 1 })).toEqual({
      design: undefined,
      port: undefined,
      exportNames: ['myDesign', 'other'],
    });
    expect(designFromModule({ default: { myDesign: handlerDesign, other: 1 } }).exportNames).toEqual([
      'myDesign',
      'other',
    ]);
  });
});

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: readonly string[], cwd: string): Promise<Outcome> {
  const { INIT_CWD: _initCwd, ...env } = process.env;
  return new Promise((resolve) => {
    execFile('node', args, { cwd, env }, (error, stdout, stderr) => {
      resolve({
        code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1,
        stdout,
        stderr,
      });
    });
  });
}

/** What loadDesign gave for one file: the design's name, or the DesignLoadError's message. */
type Loaded = { readonly name: string } | { readonly error: string };

/**
 * `loadDesign` on each `cwd`-relative file, in one Node process without a loader of its own,
 * as the command line runs: the built module, or the sources under tsx (imported by URL:
 * `--import tsx` would resolve tsx from the scratch project, which has none).
 */
async function loadAll(
  how: 'sources' | 'build',
  files: readonly (readonly [string, string])[],
): Promise<Loaded[]> {
  const module = how === 'build' ? builtLoader : join(root, 'src', 'design', 'loadDesign.ts');
  const script = `
    const { loadDesign } = await import(${JSON.stringify(pathToFileURL(module).href)});
    const out = [];
    for (const [cwd, file] of ${JSON.stringify(files)}) {
      out.push(await loadDesign(file, cwd).then((l) => ({ name: l.design.name }), (e) => ({ error: e.name + ': ' + e.message })));
    }
    console.log(JSON.stringify(out));`;
  const loader = how === 'build' ? [] : ['--import', tsxLoader];
  const r = await run([...loader, '--input-type=module', '-e', script], tmpdir());
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as Loaded[];
}

/** A design that imports nothing: accepts, refuses every event. */
const designBody = (name: string, exportLine: (value: string) => string): string =>
  [
    `const name: string = '${name}';`,
    exportLine(`{
  kind: 'handler' as const,
  name,
  create: () => ({
    async handle(conn: { socket: { accept(): Promise<void> } }): Promise<void> { await conn.socket.accept(); },
    async emit(): Promise<boolean> { return false; },
    async close(): Promise<void> {},
  }),
}`),
  ].join('\n');

/** Two scratch projects, CommonJS and ESM, each with designs exported both ways and two that cannot load. */
async function scratchProjects(): Promise<{ cjs: string; esm: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ws-lifecycle-load-'));
  const projects = { cjs: join(dir, 'cjs'), esm: join(dir, 'esm') };
  for (const [kind, path] of Object.entries(projects)) {
    await mkdir(path);
    // npm init's package.json names no "type" (or "commonjs"): .ts files there are CommonJS.
    const pkg =
      kind === 'esm' ? { name: kind, version: '1.0.0', type: 'module' } : { name: kind, version: '1.0.0' };
    await writeFile(join(path, 'package.json'), JSON.stringify(pkg));
    await writeFile(
      join(path, 'named.ts'),
      designBody(`${kind}-named`, (v) => `export const design = ${v};`),
    );
    await writeFile(
      join(path, 'default.ts'),
      designBody(`${kind}-default`, (v) => `export default ${v};`),
    );
    await writeFile(
      join(path, 'other.ts'),
      'export const myDesign = 1;\nexport function helper(): void {}\n',
    );
    await writeFile(
      join(path, 'missing.ts'),
      "import pad from 'not-installed-pad';\nexport const design = pad;\n",
    );
  }
  return projects;
}

describe('a .ts design in a CommonJS or an ESM project', () => {
  const modes = [
    ['sources', true],
    ['build', buildIsFresh],
  ] as const;
  for (const [how, enabled] of modes) {
    it.runIf(enabled)(`loads from both projects (${how}), or names the real cause`, async () => {
      const { cjs, esm } = await scratchProjects();
      const files = [cjs, esm].flatMap((cwd) =>
        ['./named.ts', './default.ts', './other.ts', './missing.ts'].map((f) => [cwd, f] as const),
      );
      const [cjsNamed, cjsDefault, cjsOther, cjsMissing, esmNamed, esmDefault, esmOther, esmMissing] =
        await loadAll(how, files);
      expect([cjsNamed, cjsDefault, esmNamed, esmDefault]).toEqual([
        { name: 'cjs-named' },
        { name: 'cjs-default' },
        { name: 'esm-named' },
        { name: 'esm-default' },
      ]);
      for (const other of [cjsOther, esmOther]) {
        expect(other).toEqual({
          error:
            'DesignLoadError: ./other.ts exports no design (exports found: helper, myDesign); export a ReducerDesign or HandlerDesign as "design" or as the default export',
        });
      }
      for (const missing of [cjsMissing, esmMissing]) {
        expect(missing).toMatchObject({
          error: expect.stringMatching(
            /^DesignLoadError: cannot import \.\/missing\.ts \(missing dependency "not-installed-pad" imported from \S*missing\.ts: /,
          ),
        });
      }
    });
  }

  it.runIf(buildIsFresh)('the built command checks a design of a CommonJS project', async () => {
    const { cjs } = await scratchProjects();
    const r = await run(
      [builtBin, 'check', '--design', './named.ts', '--runs', '5', '--profile', 'ideal'],
      cjs,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^cjs-named\s+(ok|X|nc|-)\s/m);
    expect(r.code).toBe(0);
  });

  if (!buildIsFresh)
    it.todo('the build is older than src/design/loadDesign.ts: run npm run build to test it');
});
