import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadDesign } from '../design/loadDesign.ts';
import { exploreProfiles, scenarioArb } from '../explore/scenarioArb.ts';
import { runScenario } from '../sim/runScenario.ts';
import { traceKindIssue, traceKindNames, traceKinds, type TraceKind } from './traceKinds.ts';

const doc = readFileSync(new URL('../../docs/trace.md', import.meta.url), 'utf8');
const root = new URL('../..', import.meta.url).pathname;

/** A row of a `| actor | action | when | fields |` table: the kinds it names and its fields cell. */
interface Row {
  readonly kinds: readonly string[];
  readonly fields: string;
}

/** The rows of every `actor | action | when | fields` table of a markdown text. */
function kindRows(markdown: string): Row[] {
  const rows: Row[] = [];
  let inTable = false;
  for (const line of markdown.split('\n')) {
    if (/^\| actor \| action \| when \| fields \|$/.test(line)) {
      inTable = true;
      continue;
    }
    if (!line.startsWith('|')) inTable = false;
    if (!inTable || line.startsWith('| ---')) continue;
    // Split on the table's pipes, not on escaped ones (`\|`) inside a cell.
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    const [, actor = '', actions = '', , fields = ''] = cells;
    const names = [...actions.matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1] as string);
    rows.push({ kinds: names.map((action) => `${actor}/${action}`), fields });
  }
  return rows;
}

/** The top-level keys of the first `{ ... }` after `detail:` and every `detail.key` in a cell. */
function detailKeys(fields: string): string[] {
  const keys = [...fields.matchAll(/detail\.([A-Za-z]+)/g)].map((m) => m[1] as string);
  const start = fields.indexOf('detail: {');
  if (start < 0) return keys;
  let depth = 0;
  let part = '';
  for (const ch of fields.slice(start + 'detail: '.length)) {
    if (ch === '{') depth += 1;
    if (ch === '}') depth -= 1;
    if (depth === 0) break;
    if (depth === 1 && ch === ',') {
      keys.push(part);
      part = '';
    } else if (depth === 1 && ch !== '{') part += ch;
  }
  keys.push(part);
  return keys.map((k) => (/^\s*([A-Za-z]+)/.exec(k)?.[1] ?? '').trim()).filter((k) => k !== '');
}

/** The keys of kind `kind`'s `detail`, or [] when it has none. */
function schemaDetailKeys(kind: TraceKind): string[] {
  const shape = traceKinds[kind].shape as { detail?: z.ZodType };
  if (shape.detail === undefined) return [];
  let detail: z.ZodType = shape.detail;
  while (detail instanceof z.ZodOptional) detail = detail.unwrap() as z.ZodType;
  return detail instanceof z.ZodObject ? Object.keys(detail.shape) : [];
}

const envelopeFields = ['message', 'frame', 'before', 'after', 'error', 'errorKind', 'phase'];

describe('trace kinds', () => {
  const rows = kindRows(doc);

  it("docs/trace.md's tables name every kind of traceKinds, and no other", () => {
    const documented = new Set(rows.flatMap((r) => r.kinds));
    expect([...documented].filter((k) => !traceKindNames.includes(k as TraceKind))).toEqual([]);
    expect(traceKindNames.filter((k) => !documented.has(k))).toEqual([]);
  });

  it('docs/trace.md names only fields a kind has, and every detail key of each kind', () => {
    const wrong: string[] = [];
    const named = new Map<string, Set<string>>();
    for (const row of rows) {
      const kinds = row.kinds.filter((k): k is TraceKind => traceKindNames.includes(k as TraceKind));
      const keys = detailKeys(row.fields);
      for (const key of keys) {
        if (!kinds.some((k) => schemaDetailKeys(k).includes(key)))
          wrong.push(`${row.kinds.join(',')}: detail.${key}`);
      }
      for (const field of envelopeFields) {
        const mentioned = new RegExp(`\`${field}\`|\`${field}:`).test(row.fields);
        if (mentioned && !kinds.some((k) => field in traceKinds[k].shape))
          wrong.push(`${row.kinds.join(',')}: ${field}`);
      }
      for (const kind of kinds)
        for (const key of keys) (named.get(kind) ?? named.set(kind, new Set()).get(kind))?.add(key);
    }
    const undocumented = traceKindNames.flatMap((kind) =>
      schemaDetailKeys(kind)
        .filter((key) => !(named.get(kind)?.has(key) ?? false))
        .map((key) => `${kind}: detail.${key}`),
    );
    expect(wrong).toEqual([]);
    expect(undocumented).toEqual([]);
  });

  it('a kind schema refuses a missing field, a wrong type, an extra field and an unknown kind', () => {
    const wire = {
      i: 0,
      t: 0,
      conn: 'c1',
      actor: 'net',
      action: 'wire',
      message: 'websocket.send',
      frame: 'x',
    };
    expect(traceKindIssue(wire)).toBeUndefined();
    expect(traceKindIssue({ ...wire, message: undefined })).toMatch(/^net\/wire: message/);
    expect(traceKindIssue({ ...wire, extra: 1 })).toMatch(/^net\/wire: /);
    expect(traceKindIssue({ ...wire, action: 'teleport' })).toBe('net/teleport: not an entry kind');
    const emit = { i: 1, t: 0, conn: 'c1', actor: 'workload', action: 'emit' };
    const detail = { eventId: 'e1', type: 'agent_thinking', critical: false };
    expect(traceKindIssue({ ...emit, detail })).toBeUndefined();
    expect(traceKindIssue({ ...emit, detail: { ...detail, text: 3 } })).toMatch(
      /^workload\/emit: detail\.text/,
    );
    expect(traceKindIssue({ ...emit, detail: { ...detail, colour: 'red' } })).toMatch(
      /^workload\/emit: detail/,
    );
  });

  it('every entry of simulated runs, reducer and handler designs under every profile, is of its kind', async () => {
    const seen = new Set<string>();
    const issues = new Set<string>();
    for (const spec of [
      'reference',
      'naive',
      'seed-000',
      'seed-004',
      './fixtures/designs/broken/emit-always-throws.ts',
    ]) {
      const { design } = await loadDesign(spec, root);
      for (const profile of exploreProfiles) {
        for (const scenario of fc.sample(scenarioArb(profile), { seed: 11, numRuns: 6 })) {
          for (const entry of (await runScenario(design, scenario)).trace) {
            seen.add(`${entry.actor}/${entry.action}`);
            const issue = traceKindIssue(entry);
            if (issue !== undefined) issues.add(issue);
          }
        }
      }
    }
    expect([...issues]).toEqual([]);
    expect(seen.size).toBeGreaterThan(20);
  });
});
