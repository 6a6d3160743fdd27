/**
 * Test support: runs a Python ASGI app of adapters/python under /usr/bin/python3 (Debian's
 * Starlette and uvicorn) on a free 127.0.0.1 port, and stops it by its pid.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

/** The interpreter: Debian's, not the first python3 on PATH; WS_LIFECYCLE_PYTHON overrides it. */
export const python = process.env['WS_LIFECYCLE_PYTHON'] ?? '/usr/bin/python3';

/**
 * Starlette's and uvicorn's versions under `python`, or null when either cannot be imported
 * (with websockets). Runs the interpreter once.
 */
export function pythonStack(): { starlette: string; uvicorn: string } | null {
  const probe = spawnSync(
    python,
    ['-c', 'import starlette, uvicorn, websockets; print(starlette.__version__, uvicorn.__version__)'],
    { encoding: 'utf8' },
  );
  if (probe.status !== 0) return null;
  const [starlette = '?', uvicorn = '?'] = probe.stdout.trim().split(' ');
  return { starlette, uvicorn };
}

/**
 * `pythonStack()` for a test file: when the stack is missing, the file's tests are skipped
 * with a warning naming `what`, or, when CI sets WS_LIFECYCLE_REQUIRE_PYTHON=1, it fails
 * instead of passing unseen.
 *
 * @throws Error when the stack is missing and required.
 */
export function requirePythonStack(what: string): { starlette: string; uvicorn: string } | null {
  const stack = pythonStack();
  if (stack !== null) return stack;
  const why = `${what} SKIPPED: ${python} cannot import starlette, uvicorn and websockets (apt-get install -y python3-starlette python3-uvicorn python3-websockets python3-fastapi)`;
  if (process.env['WS_LIFECYCLE_REQUIRE_PYTHON'] === '1')
    throw new Error(`${why}; WS_LIFECYCLE_REQUIRE_PYTHON=1 requires it`);
  console.warn(why);
  return null;
}

/** A free TCP port on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A running Python app: `stop()` sends SIGINT (uvicorn's graceful shutdown) and waits for the exit. */
export interface PythonApp {
  readonly port: number;
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Starts `script` with `args(port)` and resolves once 127.0.0.1:port accepts connections.
 *
 * @throws Error with the end of the app's stderr when it exits or never listens.
 */
export async function startPythonApp(script: string, args: (port: number) => string[]): Promise<PythonApp> {
  const port = await freePort();
  const child = spawn(python, [script, ...args(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const app: PythonApp = {
    port,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
    },
  };
  for (let k = 0; k < 400; k++) {
    if (child.exitCode !== null) break;
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return app;
    await new Promise((r) => setTimeout(r, 25));
  }
  await app.stop();
  throw new Error(`${script} did not listen on 127.0.0.1:${port}; it said: ${stderr.slice(-500)}`);
}
