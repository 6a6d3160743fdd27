/**
 * The error `initial()` throws for an invalid `LifecycleConfig`.
 *
 * Its message names the field, the value found and what to do instead, in one line.
 *
 * @example
 * try { initial({ ...defaultConfig, capacity: 0 }); }
 * catch (e) { e instanceof ConfigError; } // true
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** The config field that was wrong, e.g. `capacity` or `batching.size`. */
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`invalid lifecycle config: ${field} ${problem}`);
    this.field = field;
  }
}
