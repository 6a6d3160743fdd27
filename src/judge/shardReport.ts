/**
 * What `check --shard i/n` saves (the plan and its share of job outcomes, unjudged) and how
 * `merge` puts shards back together into the outcomes one run would have had.
 */
import type { PlanEntry, PlanSettings } from './judgePlan.ts';
import type { JobOutcome } from '../pool/protocol.ts';

/** The format tag of a shard file. */
export const shardFormat = 'ws-lifecycle-shard/1';

/** One shard's file. */
export interface ShardReport {
  readonly format: typeof shardFormat;
  readonly shard: { readonly index: number; readonly count: number };
  readonly settings: Omit<PlanSettings, 'cwd'>;
  readonly plan: readonly PlanEntry[];
  readonly jobs: number;
  readonly outcomes: readonly { readonly job: number; readonly outcome: JobOutcome }[];
}

/** A shard's file text. Pure. */
export function shardJson(report: ShardReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * Checks that `docs` are the `count` shards of one plan, each once, and returns the plan
 * with every job's outcome in job order. Pure.
 *
 * @returns the merged plan, or a one-line reason the files do not fit together.
 */
export function mergeShards(docs: readonly { readonly file: string; readonly doc: unknown }[]):
  | {
      plan: readonly PlanEntry[];
      settings: ShardReport['settings'];
      outcomes: (JobOutcome | undefined)[];
    }
  | string {
  const shards: ShardReport[] = [];
  for (const { file, doc } of docs) {
    const d = doc as Partial<ShardReport> | null;
    if (d === null || typeof d !== 'object' || d.format !== shardFormat || !Array.isArray(d.outcomes)) {
      return `${file} is not a shard report (field "format" must be "${shardFormat}"); write one with check --shard i/n --json > FILE`;
    }
    shards.push(d as ShardReport);
  }
  const first = shards[0];
  if (first === undefined) return 'merge needs at least one shard report';
  const same = (s: ShardReport): boolean =>
    JSON.stringify([s.plan, s.settings, s.jobs, s.shard.count]) ===
    JSON.stringify([first.plan, first.settings, first.jobs, first.shard.count]);
  const odd = shards.findIndex((s) => !same(s));
  if (odd >= 0)
    return `${docs[odd]?.file}: not a shard of the same check as ${docs[0]?.file} (plan, seed or shard count differ)`;
  const seen = new Set(shards.map((s) => s.shard.index));
  if (seen.size !== shards.length) return 'the same shard was given twice';
  const missing = Array.from({ length: first.shard.count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0)
    return `shard(s) ${missing.map((i) => `${i}/${first.shard.count}`).join(', ')} missing`;
  const outcomes: (JobOutcome | undefined)[] = Array.from({ length: first.jobs }, () => undefined);
  for (const s of shards) for (const { job, outcome } of s.outcomes) outcomes[job] = outcome;
  return { plan: first.plan, settings: first.settings, outcomes };
}
