/**
 * `ws-lifecycle merge SHARD.json...`: combines the shard reports of `check --shard i/n --json`
 * into the report one `check` without `--shard` would print (text, or `--json`).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { judgePlan } from '../check/parallel/judgePlan.ts';
import type { ExploreJob } from '../check/parallel/protocol.ts';
import { runawayLines } from '../check/parallel/runawayLines.ts';
import { mergeShards } from '../check/parallel/shardReport.ts';
import { renderReport, reportJson } from '../check/report.ts';
import type { Io } from './io.ts';
import { UsageError } from './usageError.ts';

/**
 * Runs `merge`. Reads the shard files.
 *
 * @returns 0 when every design matches its expectation, 1 otherwise (as `check`).
 * @throws UsageError for a missing, unreadable or mismatched shard file (the caller exits 2).
 */
export async function mergeCommand(args: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { json: { type: 'boolean', default: false }, timing: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length === 0)
    throw new UsageError('merge needs shard reports: ws-lifecycle merge s1.json s2.json');
  const docs: { file: string; doc: unknown }[] = [];
  for (const file of positionals) {
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, file), 'utf8');
    } catch (e) {
      throw new UsageError(
        `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'}); give the files check --shard i/n --json wrote`,
      );
    }
    try {
      docs.push({ file, doc: JSON.parse(text) as unknown });
    } catch {
      throw new UsageError(`${file} is not JSON; give the files check --shard i/n --json wrote`);
    }
  }
  const merged = mergeShards(docs);
  if (typeof merged === 'string') throw new UsageError(merged);
  const settings = { ...merged.settings, cwd: io.cwd };
  const { results, runaways, errors } = judgePlan(merged.plan, merged.outcomes, settings);
  const header = { seed: settings.seed, timing: values.timing };
  io.out(values.json ? reportJson(results, header) : renderReport(results, header));
  const jobs = merged.plan.flatMap((p) => p.profiles.map((profile) => ({ design: p.ref, profile })));
  const unfinished = jobs.filter((_, i) => merged.outcomes[i] === undefined) as unknown as ExploreJob[];
  (values.json ? io.err : io.out)(runawayLines(runaways, errors, unfinished, null));
  const clean = runaways.length === 0 && errors.length === 0 && unfinished.length === 0;
  return clean && results.every((r) => r.matches) ? 0 : 1;
}
