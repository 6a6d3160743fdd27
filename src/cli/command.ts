/**
 * What a subcommand of `ws-lifecycle` is: a name, a flag table and a `run` function. The
 * flag table is the one source of both the parsing (node's util.parseArgs) and the
 * generated `<command> --help`, so a flag cannot be parsed without being documented.
 */
import { parseArgs } from 'node:util';
import type { Io } from './io.ts';

/** One flag: parseArgs' option config plus what `--help` prints for it. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  /** parseArgs' default (applied when the flag is absent). */
  readonly default?: string | boolean;
  /** Placeholder of the value in the help (`N`, `DIR`); string flags only. */
  readonly value?: string;
  readonly description: string;
  /** The default as the help states it, when it is not a plain parseArgs default. */
  readonly defaultText?: string;
}

/** Flags of one command, keyed by long name (without `--`). */
export type FlagTable = Readonly<Record<string, FlagSpec>>;

/** A subcommand. Register it in src/cli/commands.ts. */
export interface Command {
  readonly name: string;
  /** What the command takes besides flags, for the usage line of `--help` (e.g. `FILE...`). */
  readonly operands?: string;
  /** A few sentences for `<command> --help`. */
  readonly description: string;
  readonly flags: FlagTable;
  /** Example command lines, each with a short comment. */
  readonly examples: readonly (readonly [commandLine: string, comment: string])[];
  /**
   * Runs the command with the arguments after its name.
   *
   * @returns the exit code (0 or 1; bad input throws a UsageError, which exits 2).
   */
  run(args: readonly string[], io: Io): Promise<number>;
}

/**
 * A registered command: its name and summary for `ws-lifecycle --help`, and its module,
 * imported only when the command is used (so one command's start never pays for another's).
 */
export interface CommandEntry {
  readonly name: string;
  /** One line for `ws-lifecycle --help`. */
  readonly summary: string;
  load(): Promise<Command>;
}

/**
 * Parses `args` against a flag table (strict: an unknown flag or a positional argument is an
 * error, which the command line reports as one line, exit 2).
 *
 * @example
 * const { values } = parseFlags({ runs: { type: 'string', description: 'runs' } }, ['--runs', '5']);
 */
export function parseFlags<T extends FlagTable>(flags: T, args: readonly string[]): ParsedFlags<T> {
  // parseArgs reads only type, multiple, short and default of each option.
  return parseArgs({ args: [...args], options: flags, strict: true, allowPositionals: false });
}

/** What `parseFlags` returns for a flag table: parseArgs' typed `values`. */
export type ParsedFlags<T extends FlagTable> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>
>;

function flagLabel(name: string, spec: FlagSpec): string {
  const short = spec.short === undefined ? '' : `-${spec.short}, `;
  const value = spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : '';
  return `${short}--${name}${value}`;
}

function defaultOf(spec: FlagSpec): string | undefined {
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (spec.default === undefined || spec.default === false) return undefined;
  return String(spec.default);
}

/** Width `--help` text is wrapped to. */
const helpColumns = 80;

/** Words of `text` in lines of at most `width` characters (a longer word stands alone). Pure. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

/**
 * The text of `ws-lifecycle <command> --help`: usage, description, every flag with its
 * default, and examples. Pure.
 */
export function commandHelp(command: Command): string {
  const rows = Object.entries(command.flags).map(([name, spec]) => {
    const def = defaultOf(spec);
    const repeat = spec.multiple === true ? ' (repeatable)' : '';
    return [
      flagLabel(name, spec),
      `${spec.description}${repeat}${def === undefined ? '' : ` [default: ${def}]`}`,
    ];
  });
  rows.push(['-h, --help', 'print this help']);
  const width = Math.max(...rows.map(([label]) => (label ?? '').length)) + 4;
  const lines = [
    `usage: ws-lifecycle ${command.name}${command.operands === undefined ? '' : ` ${command.operands}`} [flags]`,
    '',
    ...wrap(command.description.replace(/\s*\n\s*/g, ' '), helpColumns),
    '',
    'flags:',
    ...rows.flatMap(([label, text]) => {
      const [first = '', ...more] = wrap(text ?? '', helpColumns - width);
      return [`  ${(label ?? '').padEnd(width - 2)}${first}`, ...more.map((l) => `${' '.repeat(width)}${l}`)];
    }),
    '',
    'examples:',
    ...command.examples.flatMap(([line, comment]) => [`  # ${comment}`, `  ${line}`]),
    '',
    'exit codes: 0 pass, 1 a violation or mismatch, 2 bad input (one line on stderr)',
  ];
  return `${lines.join('\n')}\n`;
}
