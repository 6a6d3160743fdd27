/**
 * `check` on a seed port explores every reading and says which violations are robust.
 */
import { describe, expect, it } from 'vitest';
import { checkCommand } from './checkRun.ts';
import type { Io } from './io.ts';

async function check(...args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const io: Io = {
    out: (t) => void (stdout += t),
    err: () => undefined,
    errIsTTY: false,
    cwd: process.cwd(),
  };
  const code = await checkCommand(args, io);
  return { code, stdout };
}

describe('check over the readings of a seed port', () => {
  it('naive: both orders explored, each option with its citation, P1 robust', async () => {
    const { stdout } = await check('--design', 'naive', '--runs', '40', '--profile', 'lan');
    expect(stdout).toMatch(/naive: 40 runs x lan \(default reading; 40 for each of 1 more\)/);
    expect(stdout).toMatch(/^naive: 2 readings explored$/m);
    expect(stdout).toMatch(/^ {4}\* sequential\n {8}seed 000 §4\.1/m);
    expect(stdout).toMatch(/^ {6}concurrent\n {8}seed 000 §1\.1/m);
    const section = stdout.slice(stdout.indexOf('readings (*'));
    for (const line of section.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(stdout).toMatch(/^ {2}P1 {3}robust \(2 of 2\); predicted robust$/m);
  });

  it('--json carries the readings beside the designs', async () => {
    const { stdout } = await check('--design', 'seed-004', '--runs', '30', '--profile', 'lan', '--json');
    const doc = JSON.parse(stdout) as { readings: { design: string; readings: string[] }[] };
    expect(doc.readings[0]?.design).toBe('seed-004');
    expect(doc.readings[0]?.readings).toEqual(['register=after-auth', 'register=before-accept']);
  });
});
