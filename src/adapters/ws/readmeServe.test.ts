import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { checkTraceFile } from '../../judge/checkTraceFile.ts';
import { parseTraceFile } from '../../trace/traceFile.ts';

// The README's `// serve.ts` block, its import pointed at this source, run as a user runs it:
// it serves until SIGINT and its clients receive the tick events. (scripts/consumer-test.sh
// type-checks the same block against the packed package.)
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const entry = join(root, 'src/adapters/ws/index.ts');
let dir = '';
let file = '';

beforeAll(async () => {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const block = /^```ts\n(\/\/ serve\.ts\n[\s\S]*?)^```$/m.exec(readme)?.[1];
  if (block === undefined) throw new Error('README.md has no `// serve.ts` block');
  dir = await mkdtemp(join(tmpdir(), 'ws-lifecycle-serve-'));
  file = join(dir, 'serve.ts');
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  await writeFile(file, block.replace("from 'ws-lifecycle/ws'", `from ${JSON.stringify(entry)}`));
});
afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe("README's serve.ts", () => {
  it('serves tick events until SIGINT, then closes every connection with 1001 and a trace that holds', async () => {
    const child = spawn(join(root, 'node_modules/.bin/tsx'), [file], {
      cwd: dir,
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      for (let k = 0; k < 400 && !/listening on (\S+)/.test(out); k++)
        await new Promise((r) => setTimeout(r, 25));
      const url = /listening on (\S+)/.exec(out)?.[1];
      expect(url, out).toBeDefined();
      const ws = new WebSocket(url as string);
      const frames: { kind: string; seq: number; event: { payload: { tick: number } } }[] = [];
      ws.on('message', (data) => frames.push(JSON.parse(data.toString()) as (typeof frames)[number]));
      const closed = new Promise<number>((done) => ws.on('close', (code) => done(code)));
      await new Promise((r) => ws.once('open', r));
      ws.send('hello');
      for (let k = 0; k < 200 && frames.length < 2; k++) await new Promise((r) => setTimeout(r, 25));
      expect(frames.map((f) => f.seq)).toEqual([1, 2]);
      expect(frames[1]?.event.payload.tick).toBe((frames[0]?.event.payload.tick ?? 0) + 1);
      // Still serving after the ticks: only SIGINT stops it.
      expect(child.exitCode).toBeNull();
      child.kill('SIGINT');
      expect(await closed).toBe(1001);
      expect(await exited).toBe(0);
      expect(out).toMatch(/c1 sent hello/);
      expect(out).toMatch(/c1 tick \d+ \{ kind: 'delivered', seq: 1 \}/);
      const trace = parseTraceFile(await readFile(join(dir, 'run.jsonl'), 'utf8'), 'run.jsonl');
      expect(trace.run.trace.at(-1)?.action).toBe('settled');
      expect(checkTraceFile(trace).filter((v) => v.status === 'violated')).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
