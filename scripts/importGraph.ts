/**
 * The import rule of src/ (run by `npm run lint`, tested by properties/importGraph.test.ts):
 * no import cycle among non-test modules (static, type-only and dynamic imports all count),
 * and every import across folders goes the way the architecture allows (`allowedImports`):
 * cli -> check -> report -> judge -> pool -> explore/exhaustive -> design -> properties ->
 * trace <- sim -> core, never back. A new cycle or a backward arrow fails CI, and so does a
 * top-level folder holding more than a third of src's non-test lines (`folderSizeProblems`).
 *
 * Run: `npx tsx scripts/importGraph.ts` (exit 1 with one line per problem).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folders the public API (src/check) builds on: every one but the command line's. */
const apiFolders = [
  'report',
  'judge',
  'pool',
  'explore',
  'exhaustive',
  'design',
  'designs',
  'properties',
  'python',
  'sim',
  'trace',
  'core',
];

/** Per top-level folder (or file) of src/, the folders its modules may import. */
export const allowedImports: Readonly<Record<string, readonly string[]>> = {
  core: ['core'],
  trace: ['trace', 'core'],
  sim: ['sim', 'trace', 'core'],
  properties: ['properties', 'trace', 'core'],
  python: ['python', 'sim', 'trace', 'core'],
  designs: ['designs', 'sim', 'trace', 'core'],
  design: ['design', 'designs', 'python', 'sim', 'trace', 'core'],
  explore: ['explore', 'design', 'properties', 'python', 'sim', 'trace', 'core'],
  exhaustive: ['exhaustive', 'design', 'properties', 'sim', 'trace', 'core'],
  pool: ['pool', 'explore', 'exhaustive', 'design', 'properties', 'python', 'sim', 'trace', 'core'],
  judge: ['judge', 'pool', 'explore', 'exhaustive', 'design', 'properties', 'python', 'sim', 'trace', 'core'],
  report: ['report', 'judge', 'explore', 'exhaustive', 'design', 'properties', 'sim', 'trace', 'core'],
  drive: ['drive', 'properties', 'sim', 'trace', 'core'],
  adapters: ['adapters', 'sim', 'trace', 'core'],
  check: ['check', ...apiFolders],
  cli: ['cli', 'check', 'drive', ...apiFolders],
  'index.ts': ['check', 'design', 'sim', 'trace', 'core'],
};

/** Module -> the modules it imports (relative specifiers, resolved). */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

/** The non-test modules under `root` (`.ts` and `.mjs`, not `*.test.ts` or `*.test-d.ts`). Reads the tree. */
export function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|mjs)$/.test(name) && !/\.test(-d)?\.ts$/.test(name)) files.push(path);
    }
  };
  walk(root);
  return files;
}

/** The import graph of the non-test modules under `root`. Reads files. */
export function importGraph(root: string): ImportGraph {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const text = readFileSync(file, 'utf8');
    const deps = new Set<string>();
    for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g))
      deps.add(resolve(dirname(file), m[1] as string));
    graph.set(
      file,
      [...deps].filter((d) => d !== file),
    );
  }
  return graph;
}

/** The import cycles of `graph` (strongly connected components of two or more). Pure. */
export function importCycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (;;) {
      const w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
      if (w === v) break;
    }
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/** Every problem of the graph of `root`: cycles and imports against `allowedImports`. Pure but for reading. */
export function importProblems(root: string, graph: ImportGraph = importGraph(root)): string[] {
  const top = (file: string): string => relative(root, file).split('/')[0] ?? '';
  const problems = importCycles(graph).map(
    (cycle) => `import cycle: ${cycle.map((f) => relative(root, f)).join(' <-> ')}`,
  );
  for (const [file, deps] of graph) {
    const from = top(file);
    const allowed = allowedImports[from];
    for (const dep of deps) {
      const to = top(dep);
      if (allowed === undefined) problems.push(`${relative(root, file)}: folder ${from} has no import rule`);
      else if (!allowed.includes(to))
        problems.push(
          `backward import: ${relative(root, file)} -> ${relative(root, dep)} (${from} may import ${allowed.join(', ')})`,
        );
    }
  }
  return problems;
}

/** Lines of non-test modules per top-level entry of `root` (a folder, or a file such as index.ts). Reads files. */
export function folderLines(root: string): Map<string, number> {
  const lines = new Map<string, number>();
  for (const file of sourceFiles(root)) {
    const top = relative(root, file).split('/')[0] ?? '';
    const text = readFileSync(file, 'utf8');
    lines.set(top, (lines.get(top) ?? 0) + text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
  }
  return lines;
}

/** The most of src's non-test lines one top-level folder may hold. */
export const maxFolderShare = 1 / 3;

/**
 * Top-level folders holding more than `maxFolderShare` of all the lines of `lines`: a folder
 * that large is several concepts under one name, to split. Pure.
 *
 * @example folderSizeProblems(new Map([['sim', 5], ['core', 2], ['trace', 2]])) // one problem: sim
 */
export function folderSizeProblems(lines: ReadonlyMap<string, number>): string[] {
  const total = [...lines.values()].reduce((a, b) => a + b, 0);
  const count = (n: number): string => n.toLocaleString('en-US');
  return [...lines]
    .filter(([, n]) => n > total * maxFolderShare)
    .map(
      ([top, n]) =>
        `folder too large: ${top} holds ${count(n)} of ${count(total)} non-test lines of src (more than a third); split it`,
    );
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const src = fileURLToPath(new URL('../src', import.meta.url));
  const problems = [...importProblems(src), ...folderSizeProblems(folderLines(src))];
  for (const p of problems) process.stderr.write(`${p}\n`);
  process.exit(problems.length === 0 ? 0 : 1);
}
