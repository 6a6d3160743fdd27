/**
 * Expectations of the bundled seed designs (fixtures/expectations/*.json) and the verdict
 * of a design's explored result against them. Pure; reading the files is
 * src/cli/fixtureFiles.ts.
 */
import { expectationSchema, parseFixture } from '../explore/fixtureSchemas.ts';
import type { PropertyId } from '../properties/propertyTypes.ts';
import type { ExploreProfile } from '../explore/scenarioArb.ts';

/** One violation a seed document predicts (or whose claim it refutes). */
export interface ExpectedViolation {
  readonly property: PropertyId;
  /** The seed's own sentence, quoted (not a code comment). */
  readonly claim: string;
  /** Where the claim is: seed file number and section, e.g. `seed 000 §7.1`. */
  readonly source?: string;
  /** Where the violation must be found; any explored profile when absent. */
  readonly profile?: ExploreProfile;
  readonly why?: string;
  /**
   * The readings of the port (`axis=value`, all of them) under which the seed predicts the
   * violation; absent: robust, predicted under every reading (src/design/readings.ts).
   */
  readonly readings?: readonly string[];
}

/** The content of fixtures/expectations/<design>.json. */
export interface Expectation {
  readonly design: string;
  readonly expected: readonly ExpectedViolation[];
  /**
   * Properties the seed's fix should make hold, and does in the port: found violated under a
   * reading they are listed for, they are a mismatch. `profile` is ignored here.
   */
  readonly holds?: readonly ExpectedViolation[];
}

/**
 * Validates parsed JSON as an `Expectation` (schema: fixtureSchemas.ts). Pure.
 *
 * @throws FixtureError naming the file and the field that is wrong.
 * @example
 * parseExpectation({ design: 'naive', expected: [{ property: 'P1', claim: '...' }] }, 'naive.json');
 */
export function parseExpectation(json: unknown, file: string): Expectation {
  const e = parseFixture(expectationSchema, json, file, 'fix the fixture file');
  const item = (x: (typeof e.expected)[number]): ExpectedViolation => ({
    property: x.property,
    claim: x.claim,
    ...(x.source === undefined ? {} : { source: x.source }),
    ...(x.profile === undefined ? {} : { profile: x.profile }),
    ...(x.why === undefined ? {} : { why: x.why }),
    ...(x.readings === undefined ? {} : { readings: x.readings }),
  });
  return {
    design: e.design,
    expected: e.expected.map(item),
    ...(e.holds === undefined ? {} : { holds: e.holds.map(item) }),
  };
}
