import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateLab } from '../../grader/grading/validate-lab.ts';
import { findLab } from '../../grader/labs/catalogue.ts';
import { CONTACTS, FIXTURE_LABS, scratchLabs, TOTALS } from './helpers.ts';

describe('lab validate', () => {
  it('accepts the fixture labs: reference on five seeds, starter, mutants', async () => {
    for (const id of [TOTALS, CONTACTS]) {
      const validation = await validateLab(findLab(FIXTURE_LABS, id));
      expect(validation.problems).toEqual([]);
      expect(validation.steps.filter((step) => !step.ok)).toEqual([]);
      expect(validation.steps.filter((step) => step.kind === 'reference').map((step) => step.seed)).toEqual([1, 2, 3, 4, 5]);
      expect(validation.steps.filter((step) => step.kind === 'mutant').length).toBeGreaterThanOrEqual(4);
      expect(validation.ok).toBe(true);
    }
  });

  it('fails a lab whose mutant is not caught, whose starter passes, or with too few mutants', async () => {
    const scratch = scratchLabs();
    try {
      const lab = findLab(scratch.labsDir, TOTALS);
      // A "mutant" that is really the reference: the check it names cannot catch it.
      cpSync(join(lab.solutionDir, 'src'), join(lab.mutantsDir, 'no-rounding', 'src'), { recursive: true });
      // A starter that already solves the lab.
      cpSync(join(lab.solutionDir, 'src'), join(lab.starterDir, 'src'), { recursive: true });
      const validation = await validateLab(lab, { seeds: [1, 2, 3, 4, 5], mutantSeedCount: 1 });
      expect(validation.ok).toBe(false);
      const failed = validation.steps.filter((step) => !step.ok);
      expect(failed.map((step) => `${step.kind}:${step.name}`)).toEqual(['starter:starter', 'mutant:no-rounding']);
      expect(failed[1]?.message).toContain('not caught: check cents scored 10/10');

      rmSync(join(lab.mutantsDir, 'no-rounding'), { recursive: true });
      const tooFew = await validateLab(lab, { mutantSeedCount: 1 });
      expect(tooFew.problems[0]).toContain('1 mutant(s)');
    } finally {
      scratch.dispose();
    }
  });

  it('points at a mutant.yaml that names a check that does not exist', async () => {
    const scratch = scratchLabs();
    try {
      scratch.write(`solutions/${CONTACTS}/mutants/wrong-mask/mutant.yaml`, 'catches: one-line-per-contacts\nmistake: Keeps two letters.\n');
      const validation = await validateLab(findLab(scratch.labsDir, CONTACTS), { mutantSeedCount: 1 });
      expect(validation.ok).toBe(false);
      expect(validation.problems[0]).toContain('/catches: no check "one-line-per-contacts" (did you mean "one-line-per-contact"?)');
    } finally {
      scratch.dispose();
    }
  });
});
