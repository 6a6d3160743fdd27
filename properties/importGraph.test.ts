/**
 * The import rule of src/ (scripts/importGraph.ts, also run by `npm run lint`): no cycle, no
 * backward arrow. Checked on the sources, and shown to fail on a cycle and a backward import.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importProblems } from '../scripts/importGraph.ts';
import { root } from './cliHarness.ts';

const src = join(root, 'src');

describe('imports under src/', () => {
  it('have no cycle and no backward arrow', () => {
    expect(importProblems(src)).toEqual([]);
  });

  it('a cycle (type-only imports count) and a backward import are reported', () => {
    const graph = new Map([
      [join(src, 'check/a.ts'), [join(src, 'check/b.ts')]],
      [join(src, 'check/b.ts'), [join(src, 'check/a.ts')]],
      [join(src, 'sim/c.ts'), [join(src, 'check/a.ts')]],
    ]);
    expect(importCycles(graph)).toHaveLength(1);
    expect(importProblems(src, graph)).toEqual([
      'import cycle: check/a.ts <-> check/b.ts',
      'backward import: sim/c.ts -> check/a.ts (sim may import sim, trace, core)',
    ]);
  });
});
