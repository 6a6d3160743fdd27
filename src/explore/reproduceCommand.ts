/**
 * The command line that replays one counterexample exactly.
 */
import type { PythonVersion } from '../sim/types.ts';
import type { Counterexample } from './explore.ts';

/**
 * A word for a POSIX shell: unchanged when it is safe, else single-quoted. Pure.
 *
 * @example
 * shellWord('./ws life/d.ts'); // "'./ws life/d.ts'"
 */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that reproduces a counterexample; `python`: the `--python` the check ran
 * with (a run found on 3.12 replays on 3.12 only). Pure.
 *
 * @example
 * reproduceCommand('naive', cx); // 'npx ws-lifecycle replay --design naive --seed 1 --path 4:0 --profile lan'
 */
export function reproduceCommand(
  designRef: string,
  cx: Pick<Counterexample, 'seed' | 'path' | 'profile'>,
  python?: PythonVersion,
): string {
  const on = python === undefined ? '' : ` --python ${python}`;
  return `npx ws-lifecycle replay --design ${shellWord(designRef)} --seed ${cx.seed} --path ${cx.path} --profile ${cx.profile}${on}`;
}
