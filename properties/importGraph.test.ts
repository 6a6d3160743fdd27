/**
 * The import rule of src/ (scripts/importGraph.ts, also run by `npm run lint`): no cycle, no
 * backward arrow, no top-level folder over a third of the lines. Checked on the sources, and
 * shown to fail on a cycle, a backward import and an oversize folder.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderLines, folderSizeProblems, importCycles, importProblems } from '../scripts/importGraph.ts';
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

  it('no top-level folder holds more than a third of the non-test lines', () => {
    const lines = folderLines(src);
    expect(lines.get('core')).toBeGreaterThan(0);
    expect(folderSizeProblems(lines)).toEqual([]);
  });

  it('a folder holding more than a third of the lines is reported, a third exactly is not', () => {
    expect(
      folderSizeProblems(
        new Map([
          ['sim', 3401],
          ['core', 3300],
          ['trace', 3299],
        ]),
      ),
    ).toEqual([
      'folder too large: sim holds 3,401 of 10,000 non-test lines of src (more than a third); split it',
    ]);
    expect(
      folderSizeProblems(
        new Map([
          ['sim', 100],
          ['core', 100],
          ['trace', 100],
        ]),
      ),
    ).toEqual([]);
  });
});
