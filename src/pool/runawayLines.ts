/**
 * The part of a check's report about jobs that did not end with a report: runaway designs
 * (with the run and its replay command), errors, and jobs a time limit, SIGINT or SIGTERM left
 * unfinished.
 */
import type { PythonVersion } from '../sim/types.ts';
import type { ExploreJob, Runaway } from './protocol.ts';
import { runawayReplay } from './protocol.ts';

/** Lines for the report, or '' when every job reported. Pure. */
export function runawayLines(
  runaways: readonly Runaway[],
  errors: readonly string[],
  unfinished: readonly ExploreJob[],
  /** Why jobs were left unfinished: the pool's reason, or the signal that interrupted it. */
  stopped: 'time limit' | 'SIGINT' | 'SIGTERM' | null,
  python?: PythonVersion,
): string {
  const lines: string[] = [];
  for (const r of runaways) {
    const run = r.index < 0 ? 'before its first run' : `run ${r.index} of seed ${r.seed}`;
    lines.push(`RUNAWAY ${r.design} (${r.profile}): ${r.kind}, ${run}: ${r.message}`);
    if (r.index >= 0) lines.push(`  replay: ${runawayReplay(r, python)}`);
  }
  for (const e of errors) lines.push(`ERROR ${e}`);
  if (unfinished.length > 0) {
    const why =
      stopped === 'SIGINT' || stopped === 'SIGTERM'
        ? `interrupted (${stopped})`
        : stopped === 'time limit'
          ? '--time-limit reached'
          : 'not run';
    lines.push(
      `${why}: ${unfinished.length} exploration(s) unfinished: ${unfinished.map((j) => `${j.design} (${j.profile})`).join(', ')}`,
    );
  }
  return lines.length === 0 ? '' : `\n${lines.join('\n')}\n`;
}
