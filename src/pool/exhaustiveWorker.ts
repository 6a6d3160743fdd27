/**
 * The body of an exhaustive-exploration worker: loads the reducer design itself, explores
 * it, posts progress and the result. Every design step bumps a shared cell, so the main
 * thread's watchdog sees a step that never returns.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadDesign } from '../design/loadDesign.ts';
import {
  exploreExhaustive,
  type ExhaustiveOptions,
  type ExhaustiveResult,
} from '../exhaustive/exhaustive.ts';
import { cell } from './protocol.ts';

/** Messages from this worker. */
export type ExhaustiveMessage =
  | {
      readonly type: 'progress';
      readonly states: number;
      readonly transitions: number;
      readonly depth: number;
    }
  | { readonly type: 'result'; readonly result: ExhaustiveResult }
  | { readonly type: 'error'; readonly message: string };

const data = workerData as {
  design: string;
  cwd: string;
  options: Omit<ExhaustiveOptions, 'onProgress' | 'onStep'>;
  progress: SharedArrayBuffer;
};
const cells = new Int32Array(data.progress);
const post = (m: ExhaustiveMessage): void => parentPort?.postMessage(m);

async function main(): Promise<void> {
  const { design } = await loadDesign(data.design, data.cwd);
  if (design.kind !== 'reducer') throw new Error(`${design.name} is not a reducer design`);
  Atomics.store(cells, cell.state, 1);
  const result = exploreExhaustive(design, {
    ...data.options,
    onStep: () => Atomics.add(cells, cell.stamp, 1),
    onProgress: (states, transitions, depth) => {
      // The product search may run long on steps already taken: progress is a sign of life too.
      Atomics.add(cells, cell.stamp, 1);
      post({ type: 'progress', states, transitions, depth });
    },
  });
  Atomics.store(cells, cell.state, 3);
  post({ type: 'result', result });
}

main().catch((e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
