import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateLab } from '../../grader/grading/validate-lab.ts';
import { findLab, labIds, resolveLabsDir } from '../../grader/labs/catalogue.ts';
import { formatValidation } from '../../grader/reporters/validation-terminal.ts';

/**
 * `lab validate --all` on the real labs, as part of `npm test`: every lab's reference gets
 * full marks on five seeds, its starter does not, and every mutant is caught.
 */
const labsDir = resolveLabsDir();
const ids = labIds(labsDir);

describe('every lab in labs/ validates', () => {
  it('has a labs folder', () => {
    expect(existsSync(labsDir)).toBe(true);
  });

  for (const id of ids) {
    it(id, { timeout: 600_000 }, async () => {
      const validation = await validateLab(findLab(labsDir, id));
      expect(validation.ok, formatValidation([validation], { color: false })).toBe(true);
    });
  }
});
