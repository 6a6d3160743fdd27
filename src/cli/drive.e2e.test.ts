import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, python, requirePythonStack, startPythonApp } from '../adapters/pythonApp.ts';
import { runInProcess } from './runInProcess.ts';

// drive against FastAPI's documented chat (adapters/python/examples/fastapi_chat.py) under
// /usr/bin/python3 (Debian's FastAPI, Starlette, uvicorn), recorded by adapters/python: no
// hand-written client, only drive's generated scenarios.
const app = new URL('../../adapters/python/examples/fastapi_chat.py', import.meta.url).pathname;
const stack = requirePythonStack('drive end-to-end test');

/** `ws-lifecycle drive ARGS` in-process, with its exit code and captured output. */
function drive(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runInProcess(['drive', ...args], { cwd: process.cwd() });
}

describe.skipIf(stack === null)('drive on a live FastAPI chat', () => {
  it('finds P13 (a broadcast to a client that is gone raises out of a handler) and says how often re-runs reproduced it', async () => {
    const trace = join(mkdtempSync(join(tmpdir(), 'drive-e2e-')), 'chat.jsonl');
    const server = await startPythonApp(app, (port) => ['chat', String(port), trace]);
    const started = performance.now();
    let r;
    try {
      r = await drive([
        `ws://127.0.0.1:${server.port}/ws/{conn}`,
        ...['--trace', trace, '--seed', '1', '--runs', '12', '--reruns', '2'],
        ...['--settle-ms', '200', '--time-limit', '30'],
      ]);
    } finally {
      await server.stop();
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `drive end-to-end: ${seconds} s on uvicorn ${stack?.uvicorn} / starlette ${stack?.starlette}`,
    );
    const out = r.stdout;
    expect(r.code, out + r.stderr).toBe(1);
    expect(out).toMatch(/^FINDING P13 no-transport-error in run \d+ \(seed 1\)/m);
    expect(out).toMatch(/its handler raised \w+ "/);
    expect(out).toMatch(
      /reproduce: ws-lifecycle drive 'ws:\/\/127\.0\.0\.1:\d+\/ws\/\{conn\}' --trace \S+ --seed 1 --run \d+/,
    );
    expect(out).toMatch(/reproduced \d of 2 re-runs/);
  });

  it('with --server, starts a fresh server for every run: the finding reproduces on its own', async () => {
    const trace = join(mkdtempSync(join(tmpdir(), 'drive-e2e-')), 'chat.jsonl');
    let r = { code: 2, stdout: '', stderr: '' };
    let command = '';
    // A free port can be taken by a parallel test between freePort() and the server's bind:
    // the server then exits before listening (exit 2); one more port settles it. The race is
    // a live server's real timing: on a busy machine run 0 can miss it (exit 0), so it is
    // driven again, up to four times in all, until it shows.
    for (let attempt = 0; attempt < 4 && r.code !== 1; attempt++) {
      const port = await freePort();
      command = `exec ${python} ${app} chat ${port} ${trace}`;
      r = await drive([
        `ws://127.0.0.1:${port}/ws/{conn}`,
        ...['--trace', trace, '--server', command, '--seed', '1', '--run', '0', '--reruns', '2'],
        ...['--settle-ms', '200', '--time-limit', '30'],
      ]);
    }
    const out = r.stdout;
    expect(r.code, out + r.stderr).toBe(1);
    expect(out).toMatch(/^FINDING P13 no-transport-error in run 0 \(seed 1\)/m);
    expect(out).toContain(`--server '${command}' --seed 1 --run 0`);
    // No server state is carried from run to run: a re-run that fails, fails on its own.
    expect(out).toMatch(/reproduced [12] of 2 re-runs \(a live finding/);
    expect(out).not.toContain('only through a connection an earlier run left');
  }, 60_000);

  it('exits 2 with one line when the server writes no trace at the given path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drive-e2e-'));
    const server = await startPythonApp(app, (port) => ['chat', String(port), join(dir, 'real.jsonl')]);
    let r;
    try {
      r = await drive([
        `ws://127.0.0.1:${server.port}/ws/{conn}`,
        ...['--trace', join(dir, 'elsewhere.jsonl'), '--runs', '1', '--settle-ms', '50'],
      ]);
    } finally {
      await server.stop();
    }
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^ws-lifecycle: trace file .*elsewhere\.jsonl does not exist after run 0: the server must write its trace there/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('drive: bad input', () => {
  it('refuses a non-loopback host without --allow-remote, and a URL that is not ws://, in one line', async () => {
    for (const [url, what] of [
      ['ws://example.com/ws/{conn}', /refuses the non-loopback host example\.com/],
      ['http://127.0.0.1:1/ws', /needs a ws:\/\/ or wss:\/\/ URL/],
      ['not a url', /is not a URL/],
    ] as const) {
      const r = await drive([url, '--trace', 't.jsonl']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(what);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('says the server is not listening when no connection opens', async () => {
    const trace = join(mkdtempSync(join(tmpdir(), 'drive-e2e-')), 't.jsonl');
    writeFileSync(trace, '');
    const r = await drive([
      'ws://127.0.0.1:9/ws/{conn}',
      '--trace',
      trace,
      '--runs',
      '1',
      '--settle-ms',
      '0',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /no connection of run 0 opened \(.*ECONNREFUSED.*\): is the server listening at/,
    );
  });
});
