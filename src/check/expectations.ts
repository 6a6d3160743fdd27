/**
 * Expectations of the bundled seed designs (fixtures/expectations/*.json) and the verdict
 * of a design's explored result against them. Pure; reading the files is
 * src/cli/fixtureFiles.ts.
 */
import { FixtureError } from './errors.ts';
import type { PropertyId } from './propertyTypes.ts';
import { exploreProfiles, type ExploreProfile } from './scenarioArb.ts';

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
   * violation; absent: robust, predicted under every reading (src/check/readings.ts).
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

const propertyIds: readonly string[] = Array.from({ length: 14 }, (_, k) => `P${k + 1}`);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Validates parsed JSON as an `Expectation`. Pure.
 *
 * @throws FixtureError naming the file and the field that is wrong.
 * @example
 * parseExpectation({ design: 'naive', expected: [{ property: 'P1', claim: '...' }] }, 'naive.json');
 */
export function parseExpectation(json: unknown, file: string): Expectation {
  const bad = (what: string): FixtureError => new FixtureError(`${file}: ${what}; fix the fixture file`);
  if (!isRecord(json)) throw bad('expected a JSON object');
  const { design, expected, holds } = json;
  if (typeof design !== 'string' || design === '') throw bad('"design" must be a non-empty string');
  if (!Array.isArray(expected)) throw bad('"expected" must be an array');
  if (holds !== undefined && !Array.isArray(holds)) throw bad('"holds" must be an array');
  const items = expected.map((item: unknown, k) => parseItem(item, `expected[${k}]`, bad));
  const held = holds?.map((item: unknown, k) => parseItem(item, `holds[${k}]`, bad));
  return { design, expected: items, ...(held === undefined ? {} : { holds: held }) };
}

/** One entry of `expected` or `holds`. Pure. */
function parseItem(item: unknown, at: string, bad: (what: string) => FixtureError): ExpectedViolation {
  const k = at;
  if (!isRecord(item)) throw bad(`${k} must be an object`);
  const { property, claim, profile, why, readings, source } = item;
  if (typeof property !== 'string' || !propertyIds.includes(property)) {
    throw bad(`${k}.property must be one of P1..P14`);
  }
  if (typeof claim !== 'string' || claim === '') throw bad(`${k}.claim must be a non-empty string`);
  if (profile !== undefined && !exploreProfiles.includes(profile as ExploreProfile)) {
    throw bad(`${k}.profile must be one of ${exploreProfiles.join(', ')}`);
  }
  if (why !== undefined && typeof why !== 'string') throw bad(`${k}.why must be a string`);
  if (source !== undefined && typeof source !== 'string') throw bad(`${k}.source must be a string`);
  const readingList = readings === undefined ? undefined : parseReadings(readings);
  if (readingList === null) {
    throw bad(`${k}.readings must be a non-empty array of "axis=value" strings`);
  }
  return {
    property: property as PropertyId,
    claim,
    ...(source === undefined ? {} : { source }),
    ...(profile === undefined ? {} : { profile: profile as ExploreProfile }),
    ...(why === undefined ? {} : { why }),
    ...(readingList === undefined ? {} : { readings: readingList }),
  };
}

/** `["send=batched"]` as a list of options, or null when malformed. Pure. */
function parseReadings(v: unknown): string[] | null {
  if (!Array.isArray(v) || v.length === 0) return null;
  const ok = v.every((o): o is string => typeof o === 'string' && /^[A-Za-z0-9_-]+=[A-Za-z0-9_.-]+$/.test(o));
  return ok ? [...(v as string[])] : null;
}
