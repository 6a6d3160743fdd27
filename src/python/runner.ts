/**
 * The client of the Python runner (adapters/python/runner): one long-lived
 * `python3 -m ws_lifecycle_runner serve DESIGN.py` process per design file and thread,
 * speaking JSON lines on stdio. A request is `{id, scenario, settleMs}`; the answer is
 * `{id, trace, userOf}` or `{id, error}`. The process starts with `{ready: {...}}` or
 * `{error}` (adapters/python/runner/README.md, "Protocol").
 *
 * This is real I/O (a child process), never part of a simulated run's timing: the run itself
 * happens on the runner's virtual clock, and the trace it sends back is the run.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { PythonHook, Scenario } from '../sim/types.ts';
import type { TraceEntry } from '../trace/types.ts';

/** What the runner says about a design once it loaded it. */
export interface RunnerReady {
  readonly name: string;
  readonly path: string;
  readonly hooks: readonly PythonHook[];
  readonly python: string;
  readonly versions: Readonly<Record<string, string | null>>;
}

/** One run's answer: the trace entries and each connection's user. */
export interface RunnerAnswer {
  readonly trace: readonly TraceEntry[];
  readonly userOf: Readonly<Record<string, string>>;
}

/** The runner could not load the design, or the scenario: one line saying why. */
export class PythonRunnerError extends Error {
  override readonly name = 'PythonRunnerError';
}

/** The runner process died or broke the protocol mid-run (the design's process, e.g. `os._exit`). */
export class PythonRunnerDied extends Error {
  override readonly name = 'PythonRunnerDied';
}

/** The interpreter: `WS_LIFECYCLE_PYTHON`, else Debian's /usr/bin/python3. */
export function pythonExecutable(): string {
  return process.env['WS_LIFECYCLE_PYTHON'] ?? '/usr/bin/python3';
}

/** adapters/python/runner of this package, from the sources or the build. Reads the disk. */
export function runnerDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'adapters', 'python', 'runner');
    if (existsSync(join(candidate, 'ws_lifecycle_runner'))) return candidate;
    const up = dirname(dir);
    if (up === dir)
      throw new PythonRunnerError('ws-lifecycle: adapters/python/runner is missing from the package');
    dir = up;
  }
}

type Pending = { resolve: (a: RunnerAnswer) => void; reject: (e: Error) => void };

/**
 * A running `ws_lifecycle_runner serve` process for one design file. Runs are sent one at a
 * time in the order asked (the runner answers in order).
 *
 * @example
 * const runner = await PythonRunner.start('/abs/app_design.py');
 * const { trace } = await runner.run(scenario, 16_000);
 * runner.close();
 */
export class PythonRunner {
  readonly ready: RunnerReady;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: Error | null = null;

  private constructor(
    child: ChildProcessWithoutNullStreams,
    ready: RunnerReady,
    lines: AsyncIterator<string>,
  ) {
    this.child = child;
    this.ready = ready;
    void this.readAnswers(lines);
    child.on('exit', (code, signal) => {
      this.fail(new PythonRunnerDied(`the Python runner exited (${signal ?? `code ${code}`})`));
    });
  }

  /** Starts the runner on `file` and waits for its ready line. */
  static async start(file: string): Promise<PythonRunner> {
    const cwd = runnerDir();
    const child = spawn(pythonExecutable(), ['-m', 'ws_lifecycle_runner', 'serve', file], {
      cwd,
      env: { ...process.env, PYTHONPATH: cwd, PYTHONHASHSEED: '0', PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stderr: string[] = [];
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.join('').length < 4000) stderr.push(chunk);
    });
    const spawnError = new Promise<never>((_, reject) => {
      child.once('error', (e) =>
        reject(new PythonRunnerError(`cannot start ${pythonExecutable()}: ${e.message}`)),
      );
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await Promise.race([lines.next(), spawnError]);
    const message = first.done === true ? null : parseLine(first.value);
    const ready = message?.['ready'];
    if (isReady(ready)) {
      const runner = new PythonRunner(child, ready, lines);
      runner.idle();
      return runner;
    }
    child.kill('SIGKILL');
    const said = typeof message?.['error'] === 'string' ? message['error'] : lastLine(stderr.join(''));
    throw new PythonRunnerError(said === '' ? `the Python runner did not start on ${file}` : said);
  }

  /** Runs one scenario; rejects with PythonRunnerError (bad scenario) or PythonRunnerDied. */
  run(scenario: Scenario, settleMs: number): Promise<RunnerAnswer> {
    if (this.dead !== null) return Promise.reject(this.dead);
    const id = this.nextId++;
    this.busy();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin.write(`${JSON.stringify({ id, scenario, settleMs })}\n`);
    });
  }

  /** Ends the process (EOF on its stdin; killed if it does not go). */
  close(): void {
    this.fail(new PythonRunnerDied('the Python runner was closed'));
    this.child.stdin.end();
    this.child.kill('SIGTERM');
  }

  /** Whether the process is gone (a new one is needed). */
  get isDead(): boolean {
    return this.dead !== null;
  }

  private async readAnswers(lines: AsyncIterator<string>): Promise<void> {
    for (;;) {
      const next = await lines.next().catch(() => ({ done: true, value: undefined }) as const);
      if (next.done === true) return this.fail(await this.exitError());
      const message = parseLine(next.value);
      const id = message?.['id'];
      const waiting = typeof id === 'number' ? this.pending.get(id) : undefined;
      if (message === null || waiting === undefined) {
        this.fail(new PythonRunnerDied(`the Python runner broke the protocol: ${next.value.slice(0, 200)}`));
        this.child.kill('SIGKILL');
        return;
      }
      this.pending.delete(id as number);
      if (this.pending.size === 0) this.idle();
      if (typeof message['error'] === 'string') waiting.reject(new PythonRunnerError(message['error']));
      else
        waiting.resolve({
          trace: message['trace'] as TraceEntry[],
          userOf: message['userOf'] as Record<string, string>,
        });
    }
  }

  /** Why the process is gone, once it exited (its output ends just before). */
  private async exitError(): Promise<PythonRunnerDied> {
    const { exitCode, signalCode } = this.child;
    const [code, signal] =
      exitCode === null && signalCode === null
        ? ((await once(this.child, 'exit')) as [number | null, string | null])
        : [exitCode, signalCode];
    return new PythonRunnerDied(`the Python runner exited (${signal ?? `code ${code}`}) during a run`);
  }

  /** While no run is asked, the process does not keep this thread alive (it exits on EOF). */
  private idle(): void {
    this.child.unref();
    for (const stream of this.streams()) stream.unref?.();
  }

  private busy(): void {
    this.child.ref();
    for (const stream of this.streams()) stream.ref?.();
  }

  /** The process's pipes (sockets underneath, which keep a thread alive while referenced). */
  private streams(): { ref?: () => void; unref?: () => void }[] {
    return [this.child.stdin, this.child.stdout, this.child.stderr] as {
      ref?: () => void;
      unref?: () => void;
    }[];
  }

  private fail(error: Error): void {
    if (this.dead === null) this.dead = error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

function parseLine(line: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function isReady(v: unknown): v is RunnerReady {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r['name'] === 'string' && typeof r['path'] === 'string' && Array.isArray(r['hooks']);
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.trim() ?? '';
}
