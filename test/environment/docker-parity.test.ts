import { describe, expect, it } from 'vitest';
import { gradeLab } from '../../grader/grading/grade-lab.ts';
import { environmentFactory } from '../../grader/grading/environment-factory.ts';
import { loadMutants, materializeMutant } from '../../grader/grading/mutant.ts';
import type { GradeResult } from '../../grader/grading/result.ts';
import { listLabs, resolveLabsDir, type Lab } from '../../grader/labs/catalogue.ts';
import { loadScenario } from '../../grader/labs/load-scenario.ts';

/**
 * Every lab's reference gets the same score on the docker provider (real Kafka, real PostgreSQL,
 * the mock systems in a container) as on the embedded one, with the same seed: check by check.
 * With LAB_PARITY_MUTANTS=1 every mutant is compared as well (about a minute per mutant on two
 * CPUs, so CI runs the references; docs/docker.md says when to run the rest).
 */
const SEED = 4242;
const withMutants = process.env.LAB_PARITY_MUTANTS === '1';
const embedded = environmentFactory('embedded');
const docker = environmentFactory('docker');

const labs = listLabs(resolveLabsDir()).flatMap((entry) => ('lab' in entry ? [entry.lab] : []));

/** What must agree: the total and each check's outcome. */
function verdict(result: GradeResult) {
  return {
    status: result.status,
    score: result.score,
    graderErrors: result.graderErrors,
    checks: result.checks.map((check) => ({ id: check.id, status: check.status, score: check.score, actual: check.actual })),
  };
}

async function compare(lab: Lab, dir: string): Promise<void> {
  const onEmbedded = await gradeLab(lab, dir, { seed: SEED, checks: 'all', startEnvironment: embedded });
  const onDocker = await gradeLab(lab, dir, { seed: SEED, checks: 'all', startEnvironment: docker });
  expect(verdict(onDocker), `${lab.id} ${dir}: docker against embedded, seed ${SEED}`).toEqual(verdict(onEmbedded));
}

describe('docker provider: the same score as embedded, seed for seed', { timeout: 600_000 }, () => {
  it('finds the labs', () => {
    expect(labs.length).toBeGreaterThanOrEqual(5);
  });

  for (const lab of labs) {
    it(`${lab.id}: the reference`, () => compare(lab, lab.solutionDir));

    if (!withMutants) continue;
    it(`${lab.id}: every mutant`, async () => {
      const checkIds = (await loadScenario(lab)).checks.map((check) => check.id);
      for (const mutant of loadMutants(lab.mutantsDir, checkIds)) {
        const submission = materializeMutant(lab.solutionDir, mutant);
        try {
          await compare(lab, submission.dir);
        } finally {
          submission.dispose();
        }
      }
    });
  }
});
