import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { traceEntrySchema, traceHeaderSchema, traceJsonSchema } from './traceFormat.ts';

const schemaFile = new URL('../../docs/trace.schema.json', import.meta.url);

describe('trace format', () => {
  it('docs/trace.schema.json is the JSON Schema generated from the zod schemas', () => {
    // Regenerate with:
    // npx tsx -e "import {traceJsonSchema} from './src/trace/traceFormat.ts'; import {writeFileSync} from 'node:fs'; writeFileSync('docs/trace.schema.json', JSON.stringify(traceJsonSchema(),null,2)+'\n')"
    expect(JSON.parse(readFileSync(schemaFile, 'utf8'))).toEqual(traceJsonSchema());
  });

  it('a header must name the format and version 1', () => {
    const header = {
      format: 'ws-lifecycle-trace',
      version: 1,
      source: 'real',
      recorder: 'test',
      design: { name: 'reference', kind: 'reducer' },
      profile: null,
    };
    expect(traceHeaderSchema.safeParse(header).success).toBe(true);
    expect(traceHeaderSchema.safeParse({ ...header, version: 2 }).success).toBe(false);
    expect(traceHeaderSchema.safeParse({ ...header, format: 'other' }).success).toBe(false);
  });

  it('an entry needs i, t, conn, actor and action, and no unknown field', () => {
    const entry = { i: 0, t: 1.5, conn: 'c1', actor: 'net', action: 'wire', message: 'websocket.send' };
    expect(traceEntrySchema.safeParse(entry).success).toBe(true);
    expect(traceEntrySchema.safeParse({ ...entry, actor: 'browser' }).success).toBe(false);
    expect(traceEntrySchema.safeParse({ ...entry, extra: 1 }).success).toBe(false);
    expect(traceEntrySchema.safeParse({ ...entry, i: -1 }).success).toBe(false);
  });
});
