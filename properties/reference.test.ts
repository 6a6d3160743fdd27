/**
 * The reference design holds every property (SPEC section 7) over generated scenarios under
 * every profile, and the suite as a whole exercises every property's precondition.
 */
import { describe, expect, it } from 'vitest';
import { toCorpusEntry } from '../src/explore/corpus.ts';
import { saveCounterexample } from '../src/cli/fixtureFiles.ts';
import { explore } from '../src/explore/explore.ts';
import { properties } from '../src/properties/checkTrace.ts';
import type { PropertyId, PropertyStatus } from '../src/properties/propertyTypes.ts';
import { renderTimeline } from '../src/report/timeline.ts';
import { reproduceCommand } from '../src/report/report.ts';
import type { ExploreProfile } from '../src/explore/scenarioArb.ts';
import { reference } from '../src/designs/reference.ts';
import { corpusDir, referenceRunsPerProfile, suiteSeed } from './settings.ts';

const profiles: readonly ExploreProfile[] = ['ideal', 'lan', 'cloud-run', 'hostile', 'swarm'];
const exercised = new Map<PropertyId, number>();
const statuses = new Map<PropertyId, PropertyStatus[]>();

describe(`reference holds every property (seed ${suiteSeed}, ${referenceRunsPerProfile} runs per profile)`, () => {
  for (const profile of profiles) {
    it(`under ${profile}`, async () => {
      const report = await explore(reference, { runs: referenceRunsPerProfile, seed: suiteSeed, profile });
      expect(report.runs).toBe(referenceRunsPerProfile);
      const failures: string[] = [];
      for (const p of report.properties) {
        exercised.set(p.id, (exercised.get(p.id) ?? 0) + p.exercised);
        statuses.set(p.id, [...(statuses.get(p.id) ?? []), p.status]);
        const cx = p.counterexample;
        if (cx === undefined) continue;
        const file = await saveCounterexample(corpusDir, toCorpusEntry('reference', cx));
        failures.push(
          `${p.id}: ${cx.message}\n${renderTimeline(cx.timeline, cx.offending)}\n  reproduce: ${reproduceCommand('reference', cx)}\n  saved: ${file}`,
        );
      }
      expect(report.determinismFailures).toEqual([]);
      expect(failures, failures.join('\n\n')).toEqual([]);
    });
  }

  it('exercised every applicable property at least once across the profiles', () => {
    // Fed by the profile tests above: run alone (e.g. with -t), it has nothing to judge.
    expect(statuses.size, 'run with the profile tests of this suite').toBe(properties.length);
    const missing = properties
      .map((p) => p.id)
      .filter((id) => (statuses.get(id) ?? []).some((s) => s !== 'not-applicable'))
      .filter((id) => (exercised.get(id) ?? 0) === 0);
    const neverApplicable = properties
      .map((p) => p.id)
      .filter((id) => !(statuses.get(id) ?? []).some((s) => s !== 'not-applicable'));
    expect(missing, `never exercised: ${missing.join(', ')}`).toEqual([]);
    expect(neverApplicable, `never applicable under any profile: ${neverApplicable.join(', ')}`).toEqual([]);
  });
});
