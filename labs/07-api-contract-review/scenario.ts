import { defineScenario } from '../../grader/checks/scenario.ts';
import { PUBLIC_CHECKS } from './grading/public-checks.ts';
import { CORRECTED_FILE } from './grading/review-files.ts';
import { reviewRun, type ReviewRun } from './grading/review-run.ts';

/**
 * API contract review: the trainee reviews the flawed returns contract of one seed (handout.ts
 * writes it) and submits findings.yaml and the corrected openapi.yaml. Nothing runs: the drive
 * reads both files, regenerates the reviewed contract from the seed findings.yaml names (or,
 * when the trainer gave the seed with --seed, from that one), and
 * lints both with the governance ruleset; the checks compare (the hidden ones are in
 * hidden/checks.ts, with the generator that plants the flaws: a take-home bundle has neither,
 * and reads the one contract it holds instead).
 */
export default defineScenario<undefined, ReviewRun>({
  async drive({ seed, seedGiven }, submission) {
    return reviewRun(seed, await submission.answers(), await submission.answers(CORRECTED_FILE), { seedGiven });
  },
  checks: PUBLIC_CHECKS,
});
