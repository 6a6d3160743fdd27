/**
 * `ws-lifecycle explore` in-process: verdicts and exit codes of the exhaustive explorer.
 */
import { describe, expect, it } from 'vitest';
import { inProcess as run } from './cliHarness.ts';

const small = ['--connections', '2', '--max-emits', '2', '--capacity', '2'];

describe('ws-lifecycle explore', () => {
  it('fails broken-overtake on P8 with a timeline and a replay command that reproduces it', async () => {
    const r = await run('explore', '--design', 'fixtures/designs/broken-overtake.ts', ...small);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/VIOLATED P8 order-and-seq/);
    const replay = /replay: npx ws-lifecycle (explore .*) --replay '([^']+)'/.exec(r.stdout);
    expect(replay).not.toBeNull();
    const flags = (replay?.[1] ?? '').split(' ').slice(1);
    const again = await run('explore', ...flags, '--replay', replay?.[2] ?? '');
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/VIOLATED P8: c1: event ev#\d reached the wire after ev#\d, emitted later/);
  });

  it('calls a run cut by --max-states incomplete: exit 1, or 0 with --allow-truncated', async () => {
    const cut = await run('explore', ...small, '--max-states', '200');
    expect(cut.code).toBe(1);
    expect(cut.stdout).toMatch(/^INCOMPLETE: the state cap \(--max-states 200\) was reached/m);
    expect(cut.stdout).not.toMatch(/every property held/);
    const allowed = await run('explore', ...small, '--max-states', '200', '--allow-truncated');
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/accepted: --allow-truncated/);
  });

  it('--json prints states, transitions and elapsedMs; the reference holds', async () => {
    const r = await run('explore', ...small, '--json');
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(body).toMatchObject({ verdict: 'held', truncated: false, violations: [] });
    expect(body['states']).toBeGreaterThan(1000);
    expect(body['transitions']).toBeGreaterThan(body['states'] as number);
    expect(typeof body['elapsedMs']).toBe('number');
  });

  it('reports a design step that never returns as a runaway, exit 1, within the step limit', async () => {
    const r = await run(
      'explore',
      '--design',
      'fixtures/designs/runaway/step-hang.ts',
      '--step-time-limit',
      '500',
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^RUNAWAY fixtures\/designs\/runaway\/step-hang\.ts: hung: a design step did not return within 500 ms/m,
    );
  });

  it.each([
    [['--connections', '4'], /--connections must be an integer 1\.\.3/],
    [['--reduction', 'some'], /--reduction must be one of all, symmetry, por, none/],
    [['--replay', 'c9:connect'], /--replay: "c9:connect": use c1\.\.c2/],
  ])('%j is bad input: exit 2, one line', async (flags, message) => {
    const r = await run('explore', ...flags);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
