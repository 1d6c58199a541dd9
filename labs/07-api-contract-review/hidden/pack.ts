// `lab pack 07 [--seed <n>]`: the bundle gets the contract of one seed, ready in its starter/ and
// work/, and the seed it is (packed-contract.json). The generator and its flaws stay here.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { PackHandout } from '../../../grader/pack/lab-handout.ts';
import { PACKED_CONTRACT_FILE } from '../grading/contract-source.ts';
import { FINDINGS_FILE } from '../grading/review-files.ts';
import { writeFiles } from './handout.ts';

/** The seed of the lab's own starter, which a bundle gets unless the trainer names another. */
export function starterSeed(): number {
  return (parse(readFileSync(new URL(`../starter/${FINDINGS_FILE}`, import.meta.url), 'utf8')) as { seed: number }).seed;
}

export const packHandout: PackHandout = async ({ seed = starterSeed(), labDir, workDir }) => {
  let files: string[] = [];
  for (const folder of [join(labDir, 'starter'), workDir]) {
    rmSync(join(folder, 'handout'), { recursive: true, force: true });
    files = writeFiles(folder, seed);
  }
  writeFileSync(join(labDir, PACKED_CONTRACT_FILE), `${JSON.stringify({ seed }, null, 2)}\n`);
  return { seed, files };
};
