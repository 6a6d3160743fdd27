/**
 * The exit codes of every command, in one table. docs/cli.md, "Exit codes", lists the same
 * codes (src/cli/docsDrift.test.ts holds the two together).
 */
import type { CheckVerdict } from '../report/checkReport.ts';

/**
 * Each exit code and when a command gives it.
 *
 * @example process.exitCode = exitCodes.badInput; // 2
 */
export const exitCodes = {
  /** Every design matches its expectation; no violation (check-trace, replay, drive, explore). */
  pass: 0,
  /**
   * Something fails: a violation, a design that does not match its expectation, a property
   * never exercised where that fails, a non-deterministic design, a runaway, an exploration
   * left unfinished (`--time-limit`, a truncated `explore`).
   */
  fail: 1,
  /** Bad input (a flag, a file, a design that will not load), or an internal error: one line on stderr. */
  badInput: 2,
  /**
   * A property's checker threw: that property was not judged and nothing is charged to the
   * design; the check itself is in doubt, whatever else it found.
   */
  checkerError: 3,
  /** Interrupted by SIGINT after reporting what finished (128 + 2). */
  SIGINT: 130,
  /** Interrupted by SIGTERM after reporting what finished (128 + 15). */
  SIGTERM: 143,
} as const;

/** One of `exitCodes`. */
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/**
 * The exit code of a judged check or of checked traces: `error` (a checker threw) 3, `fail` 1,
 * `pass` 0; a `pass` with explorations not judged (runaway, error, unfinished) is 1. Pure.
 *
 * @example verdictExit('error'); // 3
 */
export function verdictExit(verdict: CheckVerdict, notJudged = 0): ExitCode {
  if (verdict === 'error') return exitCodes.checkerError;
  return verdict === 'pass' && notJudged === 0 ? exitCodes.pass : exitCodes.fail;
}
