import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultStartEnvironment } from '../../grader/grading/environment-factory.ts';
import { environmentPool } from '../../grader/grading/environment-pool.ts';
import { validateLab } from '../../grader/grading/validate-lab.ts';
import { findLab, labIds, resolveLabsDir } from '../../grader/labs/catalogue.ts';
import { formatValidation } from '../../grader/reporters/validation-terminal.ts';

/**
 * `lab validate --all` on the real labs, as part of `npm test`: every lab's reference gets
 * full marks on its seeds, its starter does not, and every mutant is caught. The gradings share
 * restored services, as the command's do.
 */
const labsDir = resolveLabsDir();
const ids = labIds(labsDir);
const pool = environmentPool(defaultStartEnvironment);

describe('every lab in labs/ validates', () => {
  afterAll(() => pool.dispose(), 120_000);

  it('has a labs folder', () => {
    expect(existsSync(labsDir)).toBe(true);
  });

  for (const id of ids) {
    it(id, { timeout: 600_000 }, async () => {
      const validation = await validateLab(findLab(labsDir, id), { startEnvironment: pool.start });
      expect(validation.ok, formatValidation([validation], { color: false })).toBe(true);
    });
  }
});
