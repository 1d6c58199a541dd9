// The handout generator: it plants the seed's flaws, so it is hidden with the flaws.
// handout.ts at the lab's root runs it in the full lab and says what to do in a take-home bundle.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runHandoutCommand } from '../../../grader/pack/lab-handout.ts';
import { CORRECTED_FILE, FINDINGS_FILE, HANDOUT_FILE } from '../grading/review-files.ts';
import { generateHandout } from './contract/generate.ts';

/**
 * Writes the contract of one seed for review into a folder: handout/returns-api.yaml (what
 * the partner sent; pointers in findings refer to it), openapi.yaml (the copy to correct)
 * and findings.yaml (the seed, no findings yet).
 */
const HELP = `Usage: npx tsx labs/07-api-contract-review/handout.ts [--seed <n>] [--force] <folder>

Writes the partner's returns contract of one seed for lab 07 into <folder>:
  handout/returns-api.yaml   the contract as the partner sent it (read it, point into it)
  openapi.yaml               a copy for you to correct
  findings.yaml              your findings, with the seed filled in

Options:
  --seed <n>   Seed of the contract (default 1, the one in the lab's starter/)
  --force      Overwrite openapi.yaml and findings.yaml if they exist
  -h, --help   Show this help

Example:
  mkdir -p work && cp -r labs/07-api-contract-review/starter work/07
  npx tsx labs/07-api-contract-review/handout.ts --seed 4711 --force work/07
`;

export function writeHandout(folder: string, seed: number, force: boolean): string[] {
  const kept = [CORRECTED_FILE, FINDINGS_FILE].filter((file) => !force && existsSync(join(folder, file)));
  if (kept.length > 0) throw new Error(`${kept.join(' and ')} already exist in ${folder}; add --force to replace them with seed ${seed}'s (your findings would be lost)`);
  return writeFiles(folder, seed);
}

/** The contract of a seed as the partner sent it, the copy to correct, and findings.yaml as a trainee starts it. */
export function writeFiles(folder: string, seed: number): string[] {
  const { contract } = generateHandout(seed);
  const text = stringify(contract, { lineWidth: 0, aliasDuplicateObjects: false });
  mkdirSync(join(folder, 'handout'), { recursive: true });
  writeFileSync(join(folder, HANDOUT_FILE), `# Parcel Returns API as the partner sent it for review (seed ${seed}). Point your findings into this file.\n${text}`);
  writeFileSync(join(folder, CORRECTED_FILE), text);
  writeFileSync(
    join(folder, FINDINGS_FILE),
    `# Findings of the design review (schema in the lab's README, "What to hand in").\n# The seed says which contract you reviewed; keep it.\nseed: ${seed}\nfindings: []\n# - rule: <a rule id of the governance catalogue>\n#   pointer: <JSON pointer into handout/returns-api.yaml, e.g. /paths/~1returns/post>\n#   severity: <the rule's severity: error or warn>\n#   fix: <what to change, in a sentence or two>\n`,
  );
  return [HANDOUT_FILE, CORRECTED_FILE, FINDINGS_FILE];
}

export function main(argv: string[]): Promise<number> {
  return runHandoutCommand(argv, HELP, async (folder, seed, force) => {
    const written = writeHandout(folder, seed, force);
    return `Wrote the contract of seed ${seed} to ${folder}: ${written.join(', ')}`;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
