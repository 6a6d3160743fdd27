/**
 * The flags of `check` that say how explorations run: `--workers N`, `--shard i/n`,
 * `--time-limit S`, `--run-time-limit MS`, `--memory-limit MB`.
 */
import { availableParallelism } from 'node:os';
import { defaultLimits, type RunLimits } from '../pool/protocol.ts';
import { intFlag } from './flags.ts';
import { UsageError } from './usageError.ts';

/** Parsed isolation flags. */
export interface IsolationFlags {
  readonly workers: number;
  readonly shard: { readonly index: number; readonly count: number } | null;
  readonly timeLimitMs: number | undefined;
  readonly limits: RunLimits;
}

/**
 * Parses the isolation flags (absent: the core count, no shard, no total limit, default
 * per-run limits). Reads the core count.
 *
 * @throws UsageError on a bad value.
 */
export function isolationFlags(values: {
  readonly workers?: string | undefined;
  readonly shard?: string | undefined;
  readonly 'time-limit'?: string | undefined;
  readonly 'run-time-limit'?: string | undefined;
  readonly 'memory-limit'?: string | undefined;
}): IsolationFlags {
  const workers =
    values.workers === undefined
      ? availableParallelism()
      : intFlag('workers', values.workers, { min: 1, max: 256 });
  let shard: IsolationFlags['shard'] = null;
  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.shard);
    const index = Number(m?.[1]);
    const count = Number(m?.[2]);
    if (m === null || count < 1 || index < 1 || index > count) {
      throw new UsageError(
        `--shard must be i/n with 1 <= i <= n, got "${values.shard}"; pass e.g. --shard 1/2`,
      );
    }
    shard = { index, count };
  }
  const seconds =
    values['time-limit'] === undefined
      ? undefined
      : intFlag('time-limit', values['time-limit'], { min: 1, max: 7 * 24 * 3600 });
  const runMs =
    values['run-time-limit'] === undefined
      ? defaultLimits.runMs
      : intFlag('run-time-limit', values['run-time-limit'], { min: 10, max: 3_600_000 });
  const memoryMb =
    values['memory-limit'] === undefined
      ? defaultLimits.memoryMb
      : intFlag('memory-limit', values['memory-limit'], { min: 64, max: 65_536 });
  return {
    workers,
    shard,
    timeLimitMs: seconds === undefined ? undefined : seconds * 1000,
    limits: { runMs, memoryMb },
  };
}
