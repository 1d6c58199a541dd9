// `lab pack 06 [--seed <n>]`: the bundle gets the handout of one night, ready in its starter/ and
// work/, and what its public checks need to rebuild that night (packed-night.json). The plan,
// the ticket's wording and the generator stay here.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { PackHandout } from '../../../grader/pack/lab-handout.ts';
import { DIAGNOSIS_FILE } from '../incident/handout-paths.ts';
import { PACKED_NIGHT_FILE, packedNightOf } from '../incident/packed-night.ts';
import { generateIncident, writeFiles } from './handout.ts';

/** The seed of the lab's own starter, which a bundle gets unless the trainer names another. */
export function starterSeed(): number {
  return (parse(readFileSync(new URL(`../starter/${DIAGNOSIS_FILE}`, import.meta.url), 'utf8')) as { seed: number }).seed;
}

export const packHandout: PackHandout = async ({ seed = starterSeed(), labDir, workDir }) => {
  const run = await generateIncident(seed);
  let files: string[] = [];
  for (const folder of [join(labDir, 'starter'), workDir]) {
    rmSync(join(folder, 'handout'), { recursive: true, force: true });
    files = writeFiles(folder, run);
  }
  writeFileSync(join(labDir, PACKED_NIGHT_FILE), `${JSON.stringify(packedNightOf(run), null, 2)}\n`);
  return { seed, files };
};
