/**
 * zod schemas of the fixture files (expectations, corpus entries) and the one-line error a
 * malformed file gets: the file, the field and what is wrong.
 */
import { z } from 'zod';
import { pythonVersions } from '../sim/python.ts';
import type { Command, Environment, FaultKnobs, PythonVersion, Scenario } from '../sim/types.ts';
import { FixtureError } from '../design/errors.ts';
import { properties } from '../properties/index.ts';
import type { PropertyId } from '../properties/propertyTypes.ts';
import { exploreProfiles, type ExploreProfile } from './scenarioArb.ts';

const propertyIds: readonly string[] = properties.map((p) => p.id);

/** A property id of the current property list (P1, P2, ...). */
export const propertyIdSchema = z.custom<PropertyId>(
  (v) => typeof v === 'string' && propertyIds.includes(v),
  { message: `unknown property id; use one of ${propertyIds.join(', ')}` },
);

/** A Python version `check --python` accepts. */
const pythonSchema = z.custom<PythonVersion>(
  (v) => typeof v === 'string' && (pythonVersions as readonly string[]).includes(v),
  { message: `unknown Python version; use one of ${pythonVersions.join(', ')}` },
);

/** A profile `check --profile` accepts. */
export const profileSchema = z.custom<ExploreProfile>(
  (v) => typeof v === 'string' && (exploreProfiles as readonly string[]).includes(v),
  { message: `unknown profile; use one of ${exploreProfiles.join(', ')}` },
);

const environments: readonly Environment[] = ['development', 'testing', 'staging', 'production'];
const text = z.string();
const ms = z.number().int().nonnegative();

/** One workload command of a scenario (src/sim/types.ts `Command`). */
const sinceConnect = { sinceConnectMs: ms.optional(), anchor: text.optional() };

export const commandSchema: z.ZodType<Command> = z.discriminatedUnion('kind', [
  z.object({ atMs: ms, kind: z.literal('open'), conn: text, userId: text }),
  z.object({ atMs: ms, kind: z.literal('emit'), conn: text, eventType: text, ...sinceConnect }),
  z.object({ atMs: ms, kind: z.literal('broadcast'), eventType: text, ...sinceConnect }),
  z.object({
    atMs: ms,
    kind: z.literal('appClose'),
    conn: text,
    code: z.number().int(),
    reason: text,
    ...sinceConnect,
  }),
  z.object({ atMs: ms, kind: z.literal('peerClose'), conn: text, code: z.number().int() }),
  z.object({ atMs: ms, kind: z.literal('abrupt'), conn: text }),
  z.object({ atMs: ms, kind: z.literal('clientMessage'), conn: text, text, ...sinceConnect }),
]);

/** A saved scenario. Knobs are numbers by name (older files may lack knobs added since). */
export const scenarioSchema: z.ZodType<Scenario> = z.object({
  knobs: z.record(z.string(), z.number()).transform((k) => k as unknown as FaultKnobs),
  environment: z.custom<Environment>((v) => environments.includes(v as Environment), {
    message: `unknown environment; use one of ${environments.join(', ')}`,
  }),
  commands: z.array(commandSchema),
  choices: z.array(z.number().int()),
  tailSeed: z.number().int().nullable().optional(),
  configOverrides: z
    .object({
      heartbeatIntervalMs: z.number().int().optional(),
      missedPongLimit: z.number().int().optional(),
    })
    .optional(),
});

/** fixtures/counterexamples/<design>/<property>-<hash>.json. */
export const corpusEntrySchema = z.object({
  design: text.min(1),
  /** Module of a design given by path, relative to the corpus folder (forward slashes). */
  module: text.min(1).optional(),
  property: propertyIdSchema,
  profile: profileSchema,
  /** The Python version of the run that found it (absent: 3.11). */
  python: pythonSchema.optional(),
  seed: z.number().int(),
  path: z.string().regex(/^\d+(:\d+)*$/, 'must look like 12:0:3'),
  message: text,
  steps: z.number().int().nonnegative(),
  scenario: scenarioSchema,
});

/** fixtures/expectations/<design>.json. */
const expectedViolationSchema = z.object({
  property: propertyIdSchema,
  /** The seed's own sentence, quoted. */
  claim: text.min(1),
  /** Where the claim is: seed file number and section. */
  source: text.optional(),
  profile: profileSchema.optional(),
  why: text.optional(),
  /** The port's readings (`axis=value`, all of them) the prediction needs; absent: every reading. */
  readings: z
    .array(z.string().regex(/^[A-Za-z0-9_-]+=[A-Za-z0-9_.-]+$/, 'must look like "axis=value"'))
    .min(1)
    .optional(),
});

export const expectationSchema = z.object({
  design: text.min(1),
  expected: z.array(expectedViolationSchema),
  /** Properties the seed's fix should make hold, and does in the port. */
  holds: z.array(expectedViolationSchema).optional(),
});

/** `a.b[2].c` for a zod issue path. Pure. */
function fieldOf(path: readonly PropertyKey[]): string {
  return path
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i === 0 ? '' : '.'}${String(k)}`))
    .join('');
}

/**
 * Parses `json` with `schema`, or throws one line naming the file and the first bad field.
 * Pure.
 *
 * @throws FixtureError `<file>: <field>: <problem>; <fix>`
 * @example
 * parseFixture(expectationSchema, json, 'fixtures/expectations/naive.json', 'fix the fixture file');
 */
export function parseFixture<T>(schema: z.ZodType<T>, json: unknown, file: string, fix: string): T {
  const r = schema.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue === undefined ? '' : fieldOf(issue.path);
  const what = issue?.message ?? 'invalid';
  throw new FixtureError(`${file}: ${field === '' ? '' : `${field}: `}${what}; ${fix}`);
}
