/**
 * `drive --server CMD`: a fresh server for every run. The command is started (through the
 * shell, in its own process group) before a run, drive waits until the URL's port accepts a
 * TCP connection, plays the run, and stops the server (SIGTERM to its group, SIGKILL after
 * a grace period) before the next one. A run then starts from a server with no state left
 * by earlier runs, so re-runs and shrinking judge one scenario alone. Real time and real
 * processes: src/cli only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { UsageError } from './usageError.ts';

/** How long a started server may take to listen, and to exit once asked to, in ms. */
export const serverStartMs = 15_000;
const serverStopMs = 5_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a TCP connection to `host:port` is accepted now. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A server process started for one run. */
export class RunServer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly output: string[],
  ) {}

  /**
   * Removes the trace file (the server writes a fresh one), starts `command` and waits until
   * `url`'s port accepts connections.
   *
   * @throws UsageError when the server exits or does not listen within `serverStartMs`.
   */
  static async start(command: string, url: string, tracePath: string): Promise<RunServer> {
    await rm(tracePath, { force: true });
    const { hostname, port, protocol } = new URL(url);
    const host = hostname.replace(/^\[|\]$/g, '');
    const portNumber = Number(port === '' ? (protocol === 'wss:' ? 443 : 80) : port);
    const child = spawn('sh', ['-c', command], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const keep = (chunk: Buffer): void => {
      output.push(String(chunk));
      if (output.length > 50) output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const server = new RunServer(child, output);
    const deadline = Date.now() + serverStartMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new UsageError(
          `--server ${command} exited (${child.exitCode ?? child.signalCode}) before listening on ${host}:${portNumber}: ${server.lastOutput()}`,
        );
      }
      if (await accepts(host, portNumber)) return server;
      await sleep(50);
    }
    await server.stop();
    throw new UsageError(
      `--server ${command} did not listen on ${host}:${portNumber} within ${serverStartMs / 1000} s: ${server.lastOutput()}`,
    );
  }

  /** The last lines the server printed, for an error message. */
  private lastOutput(): string {
    const text = this.output.join('').trim().split('\n').slice(-3).join(' | ');
    return text === '' ? 'it printed nothing' : text;
  }

  /** Stops the server's process group (SIGTERM, then SIGKILL after a grace period) and waits for it. */
  async stop(): Promise<void> {
    const { child } = this;
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const signal = (name: NodeJS.Signals): void => {
      try {
        process.kill(-(child.pid as number), name);
      } catch {
        // Already gone.
      }
    };
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), serverStopMs);
    await exited;
    clearTimeout(timer);
  }
}
