/**
 * The docs name what exists: docs/cli.md's synopsis lists exactly the registered commands
 * and each command's flags; every flag the docs show is one the code parses; the property
 * ids, names, ranges and counts in README.md, docs/cli.md and docs/trace.md are the
 * registry's; and no doc cites a file the repository does not have.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePath } from '../exhaustive/pathReplay.ts';
import { properties } from '../properties/index.ts';
import type { FlagTable } from './command.ts';
import { commands } from './commands.ts';
import { exitCodes } from './exitCodes.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string): string => readFileSync(join(root, file), 'utf8');
const docsDir = join(root, 'docs');
/** Every markdown document shipped with the package: README.md, CHANGELOG.md and docs/*.md. */
const docFiles = [
  'README.md',
  'CHANGELOG.md',
  ...readdirSync(docsDir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
/** Documents that name properties. */
const propertyDocs = ['README.md', 'docs/cli.md', 'docs/trace.md'];
/** Flags the command line takes before or instead of a command. */
const globalFlags = ['help', 'version'];

/** The `--flag` names in a piece of text (`--design NAME` -> 'design'). */
function flagsIn(text: string): string[] {
  return [...text.matchAll(/(?<![\w-])--([a-z][a-z-]*[a-z])/g)].map((m) => m[1] ?? '');
}

/**
 * docs/cli.md's synopsis (its first code block), one entry per `npx ws-lifecycle <command>`
 * line with its continuation lines; `--version` and `<command> --help` are not commands.
 */
function synopsis(cliDoc: string): Map<string, string> {
  const block = /^```\n([\s\S]*?)^```/m.exec(cliDoc)?.[1] ?? '';
  const entries = new Map<string, string>();
  let current: string | undefined;
  for (const line of block.split('\n')) {
    const start = /^npx ws-lifecycle (\S+)(.*)$/.exec(line);
    if (start !== null) {
      const name = start[1] ?? '';
      current = name.startsWith('-') || name.startsWith('<') ? undefined : name;
      if (current !== undefined) entries.set(current, (entries.get(current) ?? '') + (start[2] ?? ''));
    } else if (current !== undefined && /^\s+\S/.test(line)) {
      entries.set(current, `${entries.get(current) ?? ''} ${line.trim()}`);
    }
  }
  return entries;
}

/** The `## <name>` section of docs/cli.md: up to the next `## ` heading. */
function section(cliDoc: string, name: string): string | undefined {
  const start = cliDoc.indexOf(`\n## ${name}\n`);
  if (start < 0) return undefined;
  const end = cliDoc.indexOf('\n## ', start + 1);
  return cliDoc.slice(start, end < 0 ? undefined : end);
}

const words = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen',
  'nineteen', 'twenty',
]; // prettier-ignore

describe('docs/cli.md names the commands and flags the code has', () => {
  const flagTables = new Map<string, FlagTable>();
  const cliDoc = read('docs/cli.md');
  const documented = synopsis(cliDoc);

  beforeAll(async () => {
    for (const entry of commands) flagTables.set(entry.name, (await entry.load()).flags);
  });

  it('the synopsis lists every registered command, and only those', () => {
    expect([...documented.keys()].sort()).toEqual(commands.map((c) => c.name).sort());
  });

  it("each command's synopsis lists exactly the flags of its flag table", () => {
    for (const [name, flags] of flagTables) {
      const shown = new Set(flagsIn(documented.get(name) ?? ''));
      expect([...shown].sort(), `npx ws-lifecycle ${name} in docs/cli.md's synopsis`).toEqual(
        Object.keys(flags).sort(),
      );
    }
  });

  it("a command section's flag table rows are flags of that command", () => {
    for (const [name, flags] of flagTables) {
      const text = section(cliDoc, name);
      if (text === undefined) continue;
      const rows = text.split('\n').filter((l) => /^\| `--/.test(l));
      for (const row of rows) {
        const flag = flagsIn(row)[0] ?? '';
        expect(Object.keys(flags), `docs/cli.md ## ${name}: ${row.slice(0, 60)}`).toContain(flag);
      }
    }
  });

  it('every --help example is a registered command with flags that command parses', async () => {
    for (const entry of commands) {
      for (const [line] of (await entry.load()).examples) {
        // `npm run -s check -- ...` is `ws-lifecycle check ...`; a redirection is the shell's.
        const shellLine =
          line.replace(/^npm run (?:-s )?check -- /, 'ws-lifecycle check ').split(/ [>|] /)[0] ?? '';
        const [program, name, ...args] = shellLine.split(' ');
        expect(program, line).toBe('ws-lifecycle');
        const flags = flagTables.get(name ?? '');
        expect(flags, `${entry.name} --help: ${line}`).toBeDefined();
        expect(
          () => parseArgs({ args, options: flags ?? {}, strict: true, allowPositionals: true }),
          `${entry.name} --help: ${line}`,
        ).not.toThrow();
        const replay = /--replay (\S+)/.exec(line)?.[1];
        if (replay !== undefined) expect(parsePath(replay, 2), line).toEqual(expect.any(Array));
      }
    }
  });

  it('every flag README.md and docs/cli.md show is one some command parses', () => {
    const known = new Set([...globalFlags, ...[...flagTables.values()].flatMap((t) => Object.keys(t))]);
    for (const file of ['README.md', 'docs/cli.md', 'docs/trace.md']) {
      const unknown = [...new Set(flagsIn(read(file)))].filter((f) => !known.has(f));
      expect(unknown, `flags in ${file} that no command has`).toEqual([]);
    }
  });
});

describe('the docs name the properties of the registry', () => {
  const ids: readonly string[] = properties.map((p) => p.id);
  const numbered = properties.filter((p) => /^P\d+$/.test(p.id));
  const last = numbered.length;
  const nameOf = new Map<string, string>(properties.map((p) => [p.id, p.name]));
  const names = new Set(properties.map((p) => p.name));

  it("README.md's property list is the registry, in order, each id with its name", () => {
    const listed = [...read('README.md').matchAll(/^- \*\*([A-Z]+\d*) ([a-z-]+)\*\*:/gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    expect(listed).toEqual(properties.map((p) => `${p.id} ${p.name}`));
  });

  for (const file of propertyDocs) {
    it(`${file}: every id exists, every range from P1 ends at P${last}, every name is its id's`, () => {
      const text = read(file);
      for (const [, n] of text.matchAll(/\bP(\d+)\b/g)) {
        expect(ids, `${file} names P${n}`).toContain(`P${n}`);
      }
      for (const [range, from, to] of text.matchAll(/\bP(\d+) ?(?:\.\.|-|–) ?P(\d+)\b/g)) {
        expect(Number(from), `${file}: ${range}`).toBeLessThan(Number(to));
        if (from === '1')
          expect(range, `${file}: ${range} is not every property`).toMatch(new RegExp(`P${last}$`));
      }
      for (const [list, to] of text.matchAll(/\bP1, (?:P\d+, )*(?:\.\.\.|…),? P(\d+)\b/g)) {
        expect(Number(to), `${file}: "${list}" is not every property`).toBe(last);
      }
      for (const [pair, id, name] of text.matchAll(/\b(P\d+|DE) ([a-z]+(?:-[a-z]+)*)\b/g)) {
        if (name === undefined || (!name.includes('-') && !names.has(name))) continue;
        expect(`${id} ${name}`, `${file}: "${pair}"`).toBe(`${id} ${nameOf.get(id ?? '') ?? '?'}`);
      }
    });

    it(`${file}: a count of all the properties is ${last}`, () => {
      // "the N properties", "all N properties", or any N of ten or more: a claim about all of them.
      const pattern = /\b(?:(the|all) )?(\d+|[a-z]+) properties\b/gi;
      for (const [phrase, total, count] of read(file).matchAll(pattern)) {
        const n = /^\d+$/.test(count ?? '') ? Number(count) : words.indexOf((count ?? '').toLowerCase());
        if (n < 0 || (total === undefined && n < 10)) continue;
        expect(n, `${file}: "${phrase}"`).toBe(last);
      }
    });
  }
});

describe('the docs cite only what the repository has', () => {
  for (const file of docFiles) {
    it(`${file} cites no SPEC (not in the repository) and no missing file`, () => {
      const text = read(file);
      expect(text.match(/.{0,40}\bSPEC\b.{0,20}/g) ?? [], `${file} cites SPEC`).toEqual([]);
      // A pattern (`P3-*.json`, `<name>.ts`, `{a,b}`) names files, not one file: not checked.
      const cited = [
        ...text.matchAll(
          /(?<![\w./-])((?:src|docs|fixtures|bench|scripts|properties|adapters|bin)\/[\w./*<>{},-]*[\w*>}])/g,
        ),
      ]
        .map((m) => m[1] ?? '')
        .filter((p) => !/[*<{]/.test(p));
      const missing = [...new Set(cited)].filter((p) => !existsSync(join(root, p)));
      expect(missing, `paths ${file} cites that do not exist`).toEqual([]);
    });
  }
});

describe('docs/cli.md lists the exit codes the code has', () => {
  it('its "Exit codes" table gives each code of src/cli/exitCodes.ts once, and no other', () => {
    const cliDoc = read('docs/cli.md');
    const start = cliDoc.indexOf('\n### Exit codes\n');
    expect(start, 'docs/cli.md has an "Exit codes" section').toBeGreaterThan(0);
    const end = cliDoc.indexOf('\n#', start + 1);
    const table = cliDoc.slice(start, end < 0 ? undefined : end);
    const documented = [...table.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    const coded = Object.values(exitCodes);
    expect(documented).toEqual([...coded].sort((a, b) => a - b));
  });
});
