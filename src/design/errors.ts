/**
 * Error kinds raised by the checking layer. Each message says what was wrong and what to do,
 * so the command line can print it as one line.
 */

/**
 * A fixture file (expectations, saved counterexample) is malformed.
 *
 * @example
 * throw new FixtureError('fixtures/expectations/x.json: "expected" must be an array; fix the file');
 */
export class FixtureError extends Error {
  override readonly name = 'FixtureError';
}

/**
 * A design could not be loaded: unknown name, missing module, or a module without a design.
 *
 * @example
 * throw new DesignLoadError('no design named "foo"; use one of reference, naive or a path to a module');
 */
export class DesignLoadError extends Error {
  override readonly name = 'DesignLoadError';
}

/**
 * A replay path (`--path`) that leads to no generated scenario at its seed and profile: bad
 * input, not a fault of the harness.
 *
 * @example
 * throw new ReplayPathError('--path 9:9:9 does not exist at --seed 1 --profile lan; copy it from a reproduce line');
 */
export class ReplayPathError extends Error {
  override readonly name = 'ReplayPathError';
}
