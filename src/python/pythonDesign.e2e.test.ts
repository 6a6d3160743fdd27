/**
 * A Python design under `check` and `replay`: FastAPI's documented chat, unchanged, explored
 * on the Python runner; its known bug (a broadcast to a vanished client raises in the sending
 * handler) found, shrunk and replayed byte for byte; a design that is not one, one that kills
 * its process and one that never yields, each reported as such.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { requirePythonStack } from '../adapters/pythonApp.ts';
import { runInProcess } from '../cli/runInProcess.ts';
import { closeRunners } from './runPython.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const chat = 'examples/python/chat_design.py';
const stack = requirePythonStack('Python design test');
const run = (...args: string[]): ReturnType<typeof runInProcess> => runInProcess(args, { cwd: root });

/** A design file in a fresh folder. */
function designFile(name: string, body: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'py-design-')), name);
  writeFileSync(file, body);
  return file;
}

const starlette = (endpoint: string): string =>
  [
    'import os',
    'from starlette.applications import Starlette',
    'from starlette.routing import WebSocketRoute',
    '',
    'async def endpoint(websocket):',
    '    await websocket.accept()',
    `    ${endpoint}`,
    '',
    'app = Starlette(routes=[WebSocketRoute("/ws/{conn}", endpoint)])',
    'path = "/ws/{conn}"',
    '',
  ].join('\n');

afterAll(closeRunners);

describe.skipIf(stack === null)('a Python design under check and replay', () => {
  it('finds the chat’s P13, shrinks it, and replays it to the same bytes', async () => {
    const out = mkdtempSync(join(tmpdir(), 'py-check-'));
    const r = await run(
      'check',
      '--design',
      chat,
      '--runs',
      '30',
      '--profile',
      'hostile',
      '--seed',
      '1',
      '--workers',
      '1',
      '--progress',
      'none',
      '--json',
      '--out',
      out,
    );
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as {
      designs: { properties: { id: string; status: string; counterexample?: { reproduce: string } }[] }[];
    };
    const p13 = report.designs[0]?.properties.find((p) => p.id === 'P13');
    expect(p13?.status).toBe('violated');
    const reproduce = p13?.counterexample?.reproduce ?? '';
    expect(reproduce).toMatch(
      /^npx ws-lifecycle replay --design \S+chat_design\.py --seed \d+ --path [\d:]+ --profile hostile$/,
    );

    const args = reproduce.split(' ').slice(2);
    const a = join(out, 'a.jsonl');
    const b = join(out, 'b.jsonl');
    const first = await run(...args, '--trace-out', a);
    const second = await run(...args, '--trace-out', b);
    expect(first.stdout).toMatch(/^ {2}P13 {2}no-transport-error +violated$/m);
    expect(second.code).toBe(first.code);
    expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'));

    const saved = readdirSync(join(out, 'chat')).filter((f) => f.startsWith('P13-'));
    expect(saved).toHaveLength(1);
    const again = await run('replay', join(out, 'chat', saved[0] as string));
    expect(again.stdout).toMatch(/^now: P13 no-transport-error STILL FAILS/m);
  }, 120_000);

  it('is the design README.md shows', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const shown = /```python\n("""chat_design\.py[\s\S]*?)```\n/.exec(readme)?.[1];
    expect(shown).toBe(readFileSync(join(root, chat), 'utf8'));
  });

  it('refuses a file that defines no app, in one line, exit 2', async () => {
    const file = designFile('noapp.py', 'x = 1\n');
    const r = await run('check', '--design', file, '--runs', '5', '--progress', 'none');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `ws-lifecycle: ${file}: defines no \`app\` (the ASGI app to run)`,
    ]);
  });

  it('reports a design that kills its process as crashed, and one that never yields as hung, naming the run', async () => {
    const dies = designFile('dies.py', starlette('os._exit(3)'));
    const hangs = designFile('hangs.py', starlette('while True: pass'));
    const r = await run(
      'check',
      '--design',
      dies,
      '--design',
      hangs,
      '--runs',
      '5',
      '--profile',
      'lan',
      '--run-time-limit',
      '1500',
      '--progress',
      'none',
    );
    expect(r.code).toBe(1);
    expect(r.stderr + r.stdout).toMatch(
      /RUNAWAY \S+dies\.py \(lan\): crashed, run 0 of seed 1: .*exited \(code 3\)/,
    );
    expect(r.stderr + r.stdout).toMatch(/RUNAWAY \S+hangs\.py \(lan\): hung, run 0 of seed 1/);
  }, 60_000);
});
