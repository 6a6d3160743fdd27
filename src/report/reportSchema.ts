/**
 * The zod schema of a `CheckReport` (the `--json` output and `checkDesign`'s result), from
 * the same building blocks as the fixture schemas, so the report and the files agree on
 * what a property id and a profile are.
 */
import { z } from 'zod';
import type { CheckReport } from './checkReport.ts';
import { profileSchema, propertyIdSchema } from '../explore/fixtureSchemas.ts';

const status = z.enum(['held', 'violated', 'not-exercised', 'not-applicable', 'checker-error']);
const count = z.number().int().nonnegative();

/** One step of a counterexample's timeline (timelineSteps.ts `TimelineStep`). */
export const timelineStepSchema = z
  .object({
    i: count,
    t: z.number().nonnegative(),
    conn: z.string().nullable(),
    actor: z.enum(['app', 'client', 'net', 'workload', 'design', 'harness']),
    action: z.string().min(1),
    text: z.string().min(1),
    offending: z.boolean(),
    phase: z.string().optional(),
    message: z.string().optional(),
    error: z.string().optional(),
    errorKind: z.string().optional(),
  })
  .strict();

const counterexample = z.object({
  message: z.string(),
  profile: profileSchema,
  seed: z.number().int(),
  path: z.string().regex(/^\d+(:\d+)*$/),
  steps: count,
  runsToFirstFailure: count,
  msToFirstFailure: z.number().nonnegative().optional(),
  timeline: z.array(timelineStepSchema).min(1),
  reproduce: z.string().startsWith('npx ws-lifecycle replay '),
});

const design = z.object({
  name: z.string().min(1),
  ref: z.string().min(1),
  role: z.enum(['reference', 'seed', 'user']),
  matches: z.boolean(),
  elapsedMs: z.number().nonnegative().optional(),
  missing: z.array(propertyIdSchema),
  unexpected: z.array(propertyIdSchema),
  coverageGaps: z.array(propertyIdSchema),
  unexercisedFails: z.boolean(),
  determinismFailures: z.array(
    z.object({ seed: z.number().int(), path: z.string(), profile: profileSchema }),
  ),
  properties: z.array(
    z.object({
      id: propertyIdSchema,
      status,
      runs: count,
      exercised: count,
      expected: z.boolean(),
      counterexample: counterexample.optional(),
      checkerError: z.string().optional(),
    }),
  ),
  paths: z
    .array(
      z.object({
        name: z.string().min(1),
        cites: z.string().nullable(),
        declared: z.boolean(),
        reached: count,
        unexercised: z.boolean(),
        profiles: z.array(z.object({ profile: profileSchema, reached: count, runs: count })),
      }),
    )
    .optional(),
});

/**
 * Validates a parsed `--json` report.
 *
 * @example
 * checkReportSchema.parse(JSON.parse(stdout)).summary.verdict;
 */
export const checkReportSchema: z.ZodType<CheckReport> = z.object({
  seed: z.number().int(),
  profiles: z.record(z.string(), z.array(profileSchema)),
  runs: z.record(z.string(), count),
  designs: z.array(design),
  summary: z.object({
    designs: count,
    violations: count,
    mismatches: count,
    checkerErrors: count.optional(),
    verdict: z.enum(['pass', 'fail', 'error']),
  }),
});
