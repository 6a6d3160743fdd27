/**
 * Expectations of the bundled seed designs (fixtures/expectations/*.json) and the verdict
 * of a design's explored result against them. Pure; reading the files is
 * src/cli/fixtureFiles.ts.
 */
import { expectationSchema, parseFixture } from './fixtureSchemas.ts';
import type { PropertyId } from './propertyTypes.ts';
import type { ExploreProfile } from './scenarioArb.ts';

/** One violation a seed document predicts (or whose claim it refutes). */
export interface ExpectedViolation {
  readonly property: PropertyId;
  readonly claim: string;
  /** Where the violation must be found; any explored profile when absent. */
  readonly profile?: ExploreProfile;
  readonly why?: string;
}

/** The content of fixtures/expectations/<design>.json. */
export interface Expectation {
  readonly design: string;
  readonly expected: readonly ExpectedViolation[];
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
  return {
    design: e.design,
    expected: e.expected.map((x) => ({
      property: x.property,
      claim: x.claim,
      ...(x.profile === undefined ? {} : { profile: x.profile }),
      ...(x.why === undefined ? {} : { why: x.why }),
    })),
  };
}
