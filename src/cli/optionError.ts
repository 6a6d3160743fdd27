/**
 * node's util.parseArgs errors (unknown option, missing value, a value that looks like an
 * option, a value given to a boolean, a stray argument) restated in one line of our own words,
 * with the nearest flag of the command when an option is mistyped.
 */
import type { FlagTable } from './command.ts';
import { UsageError } from './usageError.ts';

/**
 * A command-line option was wrong; `command` names the command it was given to, which the
 * command line prints first: `ws-lifecycle check: unknown option --rnus (did you mean --runs?)`.
 */
export class OptionError extends UsageError {
  constructor(
    readonly command: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions, so `rnus` is
 * one edit from `runs`). Pure.
 *
 * @example
 * editDistance('rnus', 'runs'); // 1
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [];
    for (let j = 0; j <= b.length; j++) {
      if (i === 0 || j === 0) {
        row.push(i + j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const up = rows[i - 1] as number[];
      let d = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row.push(d);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/**
 * The flags of `flags` a mistyped `name` (without dashes) most likely meant: those it begins
 * (an abbreviation, at most 3), else the nearest within a third of its length (at least 1, at
 * most 3 edits), ties going to the first in the table; none when no flag is that near. Pure.
 *
 * @example
 * nearestFlags('rnus', { runs: { type: 'string', description: '' } }); // ['runs']
 */
export function nearestFlags(name: string, flags: FlagTable): string[] {
  const names = [...Object.keys(flags), 'help'];
  const prefixed = names.filter((n) => name.length >= 2 && n.startsWith(name));
  if (prefixed.length > 0 && prefixed.length <= 3) return prefixed;
  const most = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = most + 1;
  for (const n of names) {
    const d = editDistance(name, n);
    if (d < bestDistance) {
      best = n;
      bestDistance = d;
    }
  }
  return best === undefined ? [] : [best];
}

/** The option parseArgs quotes in its message (`'--runs'`, `'--runs <value>'`), without `<value>`. */
function quotedOption(message: string): string {
  return /'(-[^' ]*)/.exec(message)?.[1] ?? '';
}

/**
 * Restates a parseArgs error thrown for `args` of `command` (whose flag table is `flags`).
 * Pure.
 *
 * @example
 * optionError('check', checkFlags, ['--rnus', '5'], e).message; // 'unknown option --rnus (did you mean --runs?)'
 */
export function optionError(
  command: string,
  flags: FlagTable,
  args: readonly string[],
  error: Error & { code?: string },
): OptionError {
  const help = `see ws-lifecycle ${command} --help`;
  const option = quotedOption(error.message);
  const name = option.replace(/^-+/, '');
  const spec = flags[name];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const near = option.startsWith('--') ? nearestFlags(name, flags) : [];
      const guess = near.length === 0 ? help : `did you mean ${near.map((n) => `--${n}`).join(' or ')}?`;
      return new OptionError(command, `unknown option ${option} (${guess})`);
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const placeholder = spec?.type === 'string' ? (spec.value ?? 'VALUE') : 'VALUE';
      if (/does not take an argument/.test(error.message)) {
        return new OptionError(command, `${option} takes no value; pass ${option} alone`);
      }
      if (/ambiguous/.test(error.message)) {
        const value = args[args.indexOf(option) + 1] ?? '';
        return new OptionError(
          command,
          `${option} ${value}: a value starting with "-" must be attached with "=": ${option}=${value}`,
        );
      }
      return new OptionError(command, `${option} needs a value: ${option} ${placeholder} (${help})`);
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const value = /'([^']*)'/.exec(error.message)?.[1] ?? '';
      return new OptionError(
        command,
        `unexpected argument "${value}": ${command} takes only flags (${help})`,
      );
    }
    default:
      return new OptionError(command, `${error.message.split('\n')[0] ?? ''} (${help})`);
  }
}
