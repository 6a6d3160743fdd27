/**
 * Loads a design under test: a bundled name (`reference`, `naive`, `seed-000`...) or the
 * path of a user's module (.ts or .js) exporting `design` or a default export.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DesignLoadError } from './errors.ts';
import { isSeedPort, type SeedPort } from './readings.ts';
import { runnerFor } from '../python/runPython.ts';
import type { Design, PythonDesign } from '../sim/types.ts';
import { bundledDesignsDir, moduleExtension } from './packagePaths.ts';

/** Bundled designs, in report order: the reference first, then the seed designs. */
/** How a design is judged: the reference, a seed port (against its expectation), or the user's. */
export type DesignRole = 'reference' | 'seed' | 'user';

export const bundledDesigns: readonly string[] = [
  'reference',
  'naive',
  'seed-000',
  'seed-001',
  'seed-003',
  'seed-004',
];

/** A loaded design and how to judge and reproduce it. */
export interface LoadedDesign {
  readonly design: Design;
  /** What was given on the command line: the value to pass back to `--design`. */
  readonly ref: string;
  readonly role: DesignRole;
  /** The absolute path of the module, for a design given by path. */
  readonly file?: string;
  /** The module's `port` export: its readings and a design per reading (src/design/readings.ts). */
  readonly port?: SeedPort;
}

/** The module of a bundled design (fixtures/designs/<name>.ts, or .js in the build). */
function bundledFile(name: string): string {
  return join(bundledDesignsDir, `${name}${moduleExtension}`);
}

/**
 * Whether `name` is a design of fixtures/designs (`naive`, `seed-003`, `broken-overtake`...).
 * Reads the file system.
 */
export function isBundledDesignName(name: string): boolean {
  return name === 'reference' || (/^[A-Za-z0-9_-]+$/.test(name) && existsSync(bundledFile(name)));
}

let tsLoaderRegistered = false;

/**
 * Registers tsx's loaders, once, so that a user's .ts module can be imported: both, since a
 * module outside an ESM package ("type": "module") is CommonJS by Node's rules and only tsx's
 * CommonJS loader compiles it. Not needed when this code itself runs as TypeScript (the
 * sources, under tsx or vitest): a loader is then active already. Loaded lazily, so that
 * the command starts without it.
 */
async function ensureTsLoader(): Promise<void> {
  if (tsLoaderRegistered || moduleExtension === '.ts') return;
  tsLoaderRegistered = true;
  const [cjs, esm] = await Promise.all([import('tsx/cjs/api'), import('tsx/esm/api')]);
  cjs.register();
  esm.register();
}

function isFunction(v: unknown): boolean {
  return typeof v === 'function';
}

/**
 * Whether a module export is a `ReducerDesign` or a `HandlerDesign` (shape check). Pure.
 *
 * @example
 * isDesign({ kind: 'handler', name: 'x', create: () => ({}) }); // true
 */
export function isDesign(v: unknown): v is Design {
  if (typeof v !== 'object' || v === null) return false;
  const d = v as Record<string, unknown>;
  if (typeof d['name'] !== 'string' || d['name'] === '') return false;
  if (d['kind'] === 'handler') return isFunction(d['create']);
  if (d['kind'] === 'reducer') {
    return ['initial', 'step', 'phaseOf', 'bufferedCount'].every((k) => isFunction(d[k]));
  }
  return false;
}

/**
 * The one line that says why an import failed. esbuild's transform errors put the useful
 * part (file:line:col: ERROR: text) on the line after "Transform failed with 1 error:"; a
 * missing dependency is named as such, with what imported it.
 */
function firstCause(e: unknown): string {
  const lines = (e instanceof Error ? e.message : String(e)).split('\n').filter((l) => l.trim() !== '');
  const first = lines[0] ?? '';
  if (/^Transform failed/.test(first) && lines[1] !== undefined) return `syntax error: ${lines[1].trim()}`;
  const code = (e as { code?: unknown } | null)?.code;
  const missing = /^Cannot find (?:module|package) '([^']+)'/.exec(first);
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && missing !== null) {
    const from =
      /imported from (\S+)/.exec(first)?.[1] ?? /Require stack:\s*- (\S+)/.exec(lines.join(' '))?.[1];
    return `missing dependency "${missing[1]}"${from === undefined ? '' : ` imported from ${from}`}: install it or fix the import`;
  }
  return e instanceof SyntaxError ? `syntax error: ${first}` : first;
}

/** A module namespace, or the `module.exports` object of a CommonJS module. */
type ExportsObject = Readonly<Record<string, unknown>>;

function isExportsObject(v: unknown): v is ExportsObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The design and port a module exports, wherever the module system put them. Pure.
 *
 * An ES module has them as `design` (or the default export) and `port`. A CommonJS module
 * imported from ESM (a .ts file outside a "type": "module" package, compiled by tsx as
 * CommonJS) has its `module.exports` as `default`, so its named exports are one level down:
 * `default.design`, `default.default` (an `export default` compiled to CommonJS), and
 * `default.port`. A default export with a `kind` is the design itself, whatever its shape,
 * so that a mis-shaped design is reported as such.
 *
 * @returns the design candidate (undefined when none is exported), the port, and the
 *   export names seen (as the module wrote them), for the error message.
 * @example
 * designFromModule({ default: { design: d } }).design === d; // CommonJS through tsx
 */
export function designFromModule(mod: ExportsObject): {
  readonly design: unknown;
  readonly port: unknown;
  readonly exportNames: readonly string[];
} {
  const names = new Set<string>();
  const found = (): readonly string[] => [...names].sort();
  let layer: ExportsObject = mod;
  // Three levels at most: namespace -> module.exports -> exports.default.
  for (let depth = 0; depth < 3; depth++) {
    for (const k of Object.keys(layer)) names.add(k);
    if (layer['design'] !== undefined)
      return { design: layer['design'], port: layer['port'], exportNames: found() };
    const inner = layer['default'];
    if (inner === undefined) break;
    if (!isExportsObject(inner) || 'kind' in inner || isDesign(inner)) {
      return { design: inner, port: layer['port'], exportNames: found() };
    }
    // Not an export of its own: the CommonJS module's exports object, listed by its names.
    names.delete('default');
    layer = inner;
  }
  return { design: undefined, port: undefined, exportNames: found() };
}

/** What is wrong with a design candidate's shape, field by field. Pure. */
function shapeProblems(v: unknown): string {
  if (typeof v !== 'object' || v === null)
    return `it is ${v === null ? 'null' : `a ${typeof v}`}, not an object`;
  const d = v as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof d['name'] !== 'string' || d['name'] === '') problems.push('name is not a non-empty string');
  if (d['kind'] === 'handler') {
    if (!isFunction(d['create'])) problems.push('create is not a function');
  } else if (d['kind'] === 'reducer') {
    for (const k of ['initial', 'step', 'phaseOf', 'bufferedCount']) {
      if (!isFunction(d[k])) problems.push(`${k} is not a function`);
    }
  } else {
    problems.push(`kind is ${JSON.stringify(d['kind']) ?? 'undefined'}, not 'reducer' or 'handler'`);
  }
  return problems.join(', ');
}

async function importDesign(url: URL, shown: string): Promise<Design> {
  return (await importModule(url, shown)).design;
}

async function importModule(url: URL, shown: string): Promise<{ design: Design; port?: SeedPort }> {
  let mod: ExportsObject;
  try {
    mod = (await import(url.href)) as ExportsObject;
  } catch (e) {
    const why = firstCause(e);
    throw new DesignLoadError(
      `cannot import ${shown} (${why}); check that the module loads with node or tsx`,
    );
  }
  const { design, port, exportNames } = designFromModule(mod);
  if (design === undefined) {
    const found = exportNames.length === 0 ? 'no exports' : `exports found: ${exportNames.join(', ')}`;
    throw new DesignLoadError(
      `${shown} exports no design (${found}); export a ReducerDesign or HandlerDesign as "design" or as the default export`,
    );
  }
  if (!isDesign(design)) {
    throw new DesignLoadError(
      `${shown}: the exported design is not a ReducerDesign (kind 'reducer', name, initial, step, phaseOf, bufferedCount) or a HandlerDesign (kind 'handler', name, create): ${shapeProblems(design)}; fix its shape`,
    );
  }
  return isSeedPort(port) ? { design, port } : { design };
}

/**
 * The Python design in `file`, loaded by this thread's runner process (which then serves its
 * runs): its name, route and hooks as the runner found them.
 */
async function pythonDesign(file: string, spec: string): Promise<PythonDesign> {
  try {
    const { name, path, hooks } = (await runnerFor(file)).ready;
    return { kind: 'python', name, file, path, hooks };
  } catch (e) {
    const said = e instanceof Error ? e.message : String(e);
    // The runner's own errors name the file already.
    throw new DesignLoadError(said.includes(file) ? said : `${spec}: ${said}`);
  }
}

/**
 * Loads a design by bundled name or module path (relative to `cwd`). Imports modules.
 *
 * @throws DesignLoadError for an unknown name, a missing file or a module without a design.
 * @example
 * (await loadDesign('seed-003', process.cwd())).role; // 'seed'
 */
export async function loadDesign(spec: string, cwd: string): Promise<LoadedDesign> {
  if (spec === 'reference') {
    const { reference } = await import('../designs/reference.ts');
    return { design: reference as Design, ref: spec, role: 'reference' };
  }
  const looksLikePath = /[\\/]/.test(spec) || /\.(ts|js|mjs|mts|py)$/.test(spec);
  if (!looksLikePath) {
    if (!isBundledDesignName(spec)) {
      throw new DesignLoadError(
        `no design named "${spec}"; use one of ${bundledDesigns.join(', ')} or the path of a module (e.g. ./my-design.ts)`,
      );
    }
    const role: DesignRole = bundledDesigns.includes(spec) ? 'seed' : 'user';
    const url = pathToFileURL(bundledFile(spec));
    return { ...(await importModule(url, `design "${spec}"`)), ref: spec, role };
  }
  const file = isAbsolute(spec) ? spec : resolve(cwd, spec);
  if (!existsSync(file)) {
    throw new DesignLoadError(
      `no such design module: ${spec}; give a path to a .ts, .js or .py file, relative to ${cwd}`,
    );
  }
  if (file.endsWith('.py')) return { design: await pythonDesign(file, spec), ref: spec, role: 'user', file };
  if (/\.[mc]?ts$/.test(file)) await ensureTsLoader();
  return { design: await importDesign(pathToFileURL(file), spec), ref: spec, role: 'user', file };
}
