/**
 * Bad command-line input: an unknown flag, a malformed value, a missing argument.
 */

/**
 * The command line was wrong; the message says what and what to do instead.
 *
 * @example
 * throw new UsageError('--runs must be a positive integer, got "abc"; pass e.g. --runs 1000');
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
