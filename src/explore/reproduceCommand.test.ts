import { describe, expect, it } from 'vitest';
import { runawayReplay } from '../pool/protocol.ts';
import { reproduceCommand, shellWord } from './reproduceCommand.ts';

const cx = { seed: 3, path: '4:0', profile: 'lan' } as const;

describe('reproduce lines', () => {
  it('name the design, seed, path and profile, quoting a path with spaces', () => {
    expect(reproduceCommand('./my design.ts', cx)).toBe(
      "npx ws-lifecycle replay --design './my design.ts' --seed 3 --path 4:0 --profile lan",
    );
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
  });

  it('repeat the --python of the check, so a run found on 3.12 replays on 3.12', () => {
    expect(reproduceCommand('seed-000', cx, '3.12')).toBe(
      'npx ws-lifecycle replay --design seed-000 --seed 3 --path 4:0 --profile lan --python 3.12',
    );
    const runaway = {
      kind: 'spinning',
      design: 'seed-000',
      profile: 'lan',
      seed: 1,
      index: 7,
      message: 'm',
    } as const;
    expect(runawayReplay(runaway, '3.12')).toBe(
      'npx ws-lifecycle replay --design seed-000 --seed 1 --path 7 --profile lan --python 3.12',
    );
    expect(runawayReplay(runaway)).not.toContain('--python');
    expect(runawayReplay({ ...runaway, design: './my design.ts' })).toContain("--design './my design.ts' ");
  });
});
