/**
 * Runs an exhaustive exploration in its own worker thread under a watchdog: a design step
 * that never returns, or an exploration past the heap cap, ends the worker and is reported
 * instead of hanging `explore`.
 */
import { Worker } from 'node:worker_threads';
import type { ExhaustiveOptions, ExhaustiveResult } from '../exhaustive/exhaustive.ts';
import type { ExhaustiveMessage } from './exhaustiveWorker.ts';
import { cell, type RunLimits } from './protocol.ts';

const bootUrl = new URL('./workerBoot.mjs', import.meta.url);

/** The exploration's result, or what ran away. */
export type ExhaustiveOutcome =
  | { readonly kind: 'result'; readonly result: ExhaustiveResult }
  | { readonly kind: 'runaway'; readonly what: 'hung' | 'memory' | 'crashed'; readonly message: string }
  | { readonly kind: 'error'; readonly message: string };

/**
 * Explores the design `design` (bundled name or module path, loaded by the worker) with
 * `options`. Reads the wall clock (watchdog only); the result is the in-process one.
 */
export function exploreExhaustiveIsolated(
  design: string,
  cwd: string,
  options: Omit<ExhaustiveOptions, 'onProgress' | 'onStep'>,
  limits: RunLimits,
  onProgress?: ExhaustiveOptions['onProgress'],
): Promise<ExhaustiveOutcome> {
  const progress = new SharedArrayBuffer(4 * 4);
  const cells = new Int32Array(progress);
  const worker = new Worker(bootUrl, {
    workerData: { body: 'exhaustiveWorker', design, cwd, options, progress },
    resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb },
    stdout: true,
    stderr: true,
  });
  // A design's console output is not the report's: drop it.
  worker.stdout.resume();
  worker.stderr.resume();
  return new Promise((resolve) => {
    let lastStamp = -1;
    let lastChange = performance.now();
    const finish = (o: ExhaustiveOutcome): void => {
      clearInterval(watch);
      worker.removeAllListeners('exit');
      void worker.terminate();
      resolve(o);
    };
    const watch = setInterval(() => {
      const stamp = Atomics.load(cells, cell.stamp);
      const now = performance.now();
      if (stamp !== lastStamp) {
        lastStamp = stamp;
        lastChange = now;
      } else if (Atomics.load(cells, cell.state) === 1 && now - lastChange > limits.runMs) {
        finish({
          kind: 'runaway',
          what: 'hung',
          message: `a design step did not return within ${limits.runMs} ms of wall time (a loop that never ends?)`,
        });
      }
    }, 50);
    worker.on('message', (m: ExhaustiveMessage) => {
      if (m.type === 'progress') onProgress?.(m.states, m.transitions, m.depth);
      else if (m.type === 'result') finish({ kind: 'result', result: m.result });
      else finish({ kind: 'error', message: m.message });
    });
    worker.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        finish({
          kind: 'runaway',
          what: 'memory',
          message: `the exploration exceeded the memory cap of ${limits.memoryMb} MB; lower the bounds or raise --memory-limit`,
        });
      } else
        finish({
          kind: 'runaway',
          what: 'crashed',
          message: `the exploration crashed: ${e.message.split('\n')[0] ?? ''}`,
        });
    });
    worker.on('exit', (code) =>
      finish({
        kind: 'runaway',
        what: 'crashed',
        message: `the exploration's worker exited with code ${code}`,
      }),
    );
  });
}
