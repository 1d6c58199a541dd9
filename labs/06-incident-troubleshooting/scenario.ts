import { defineScenario } from '../../grader/checks/scenario.ts';
import { labRun, type LabRun } from './grading/lab-run.ts';
import { nightOf } from './grading/night-source.ts';
import { PUBLIC_CHECKS } from './grading/public-checks.ts';
import { MITIGATION_FILE } from './incident/handout-paths.ts';
import type { Night } from './incident/night.ts';

/**
 * Incident troubleshooting: the order-to-shipment job (job/) had a bad night, different per
 * seed. Setup replays the night of the run's seed against the ERP and the partner, so
 * `lab start 06 --seed <n>` shows the systems as that night left them; handout.ts writes its
 * logs, ticket and state. The trainee hands in diagnosis.yaml (which names the night's seed)
 * and mitigation.yaml. The drive replays the night diagnosis.yaml names, reads both files and
 * rehearses the change: replay, then the next night under every kind of trouble. The hidden
 * checks are in hidden/checks.ts, with the plan that makes each night: a take-home bundle
 * (`lab pack`) has neither, and restores the one night whose handout it holds instead.
 */
export default defineScenario<Night, LabRun>({
  setup({ seed, env }) {
    return nightOf(env, seed);
  },
  async drive({ env, setup, seedGiven }, submission) {
    return labRun(env, setup, await submission.answers(), await submission.answers(MITIGATION_FILE), { seedGiven });
  },
  checks: PUBLIC_CHECKS,
});
