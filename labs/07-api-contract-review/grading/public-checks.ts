import type { Check } from '../../../grader/checks/scenario.ts';
import type { ReviewRun } from './review-run.ts';
import { expectedFindings } from './score-findings.ts';

/** The checks `lab check` runs: the files are right, and the corrected contract is valid and governed. */
export const PUBLIC_CHECKS: Check<undefined, ReviewRun>[] = [
  {
    id: 'findings-file-valid',
    title: 'findings.yaml follows the documented schema and names catalogue rules and real places',
    points: 10,
    visibility: 'public',
    targets: 'a review others can act on',
    task: 1,
    run({ outputs: { review, handout, seedFrom } }) {
      const seedNote = seedFrom === 'run' ? `findings.yaml names no seed, so the contract of this run's seed (${handout.seed}) was used` : `the contract of seed ${handout.seed}`;
      if (!review.ok) {
        return { passed: false, expected: 'a findings file that follows the schema in the brief', actual: review.problems.slice(0, 8).join('; '), hint: 'Each finding needs rule, pointer, severity and fix; the file needs the seed the handout wrote. Fix every line listed at once.' };
      }
      const total = review.review.findings.length + review.problems.length;
      if (review.problems.length === 0) return { passed: true, actual: `${total} finding(s), all readable, against ${seedNote}` };
      return {
        passed: false,
        score: (10 * review.review.findings.length) / total,
        expected: 'every finding names a catalogue rule and a place in the contract you were given',
        actual: `${review.problems.length} of ${total} left out: ${review.problems.slice(0, 5).join('; ')}`,
        hint: 'Rule ids are the catalogue\'s (README, "The governance catalogue"); pointers are RFC 6901 into the handout, "/" inside a segment written ~1.',
      };
    },
  },
  {
    id: 'contract-valid-openapi',
    title: 'The corrected contract is valid OpenAPI 3.1',
    points: 10,
    visibility: 'public',
    targets: 'contract-first delivery',
    task: 2,
    run({ outputs: { invalid } }) {
      if (invalid.length === 0) return { passed: true };
      return {
        passed: false,
        expected: 'openapi.yaml: an OpenAPI 3.1 document the OpenAPI schema accepts',
        actual: `${invalid.length} problem(s): ${invalid.slice(0, 5).join('; ')}`,
        hint: 'Every response needs a description, parameters need name, in and a schema, and 3.1 schemas are JSON Schema 2020-12 (type: [string, "null"], not nullable).',
      };
    },
  },
  {
    id: 'contract-passes-governance',
    title: 'The corrected contract passes every rule of the governance catalogue',
    points: 15,
    visibility: 'public',
    targets: 'API design & governance',
    task: 2,
    run({ outputs: { readable, remaining, expected } }) {
      if (!readable) return { passed: false, expected: 'a corrected contract to lint', actual: 'openapi.yaml is missing, not a YAML mapping, or too large to be a correction', hint: 'Hand in the corrected contract as openapi.yaml beside findings.yaml.' };
      if (remaining.length === 0) return { passed: true };
      const left = expectedFindings(remaining);
      const byRule = new Map<string, number>();
      for (const violation of left) byRule.set(violation.rule, (byRule.get(violation.rule) ?? 0) + 1);
      return {
        passed: false,
        score: 15 * Math.max(0, 1 - left.length / Math.max(expected.length, 1)),
        expected: 'no violation of the catalogue',
        // Rules and counts, never places: the places are what the findings must say.
        actual: `${left.length} place(s) still break the catalogue: ${[...byRule].map(([rule, count]) => `${rule} ×${count}`).join(', ')}`,
        hint: 'Each rule of the catalogue in the brief says what it wants; fix the contract, not the rule.',
      };
    },
  },
];
