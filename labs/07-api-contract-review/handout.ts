import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PACKED_CONTRACT_FILE } from './grading/contract-source.ts';

/**
 * `npx tsx labs/07-api-contract-review/handout.ts [--seed <n>] [--force] <folder>` writes the
 * contract of a seed into a folder. The generator plants the seed's flaws, which is the answer
 * key of the findings, so it lives in hidden/ (hidden/handout.ts): the full lab runs it from
 * here; a take-home bundle has not got it, and holds its one contract in work/ instead.
 */
const GENERATOR = new URL('./hidden/handout.ts', import.meta.url);

function bundleNote(): string {
  const packed = new URL(PACKED_CONTRACT_FILE, import.meta.url);
  const seed = existsSync(packed) ? (JSON.parse(readFileSync(packed, 'utf8')) as { seed: number }).seed : undefined;
  return (
    `This is a take-home bundle: it holds the contract of one seed${seed === undefined ? '' : ` (seed ${seed})`}, already in work/ ` +
    `(work/handout/returns-api.yaml, with work/openapi.yaml to correct and work/findings.yaml to report in), and not the generator that writes others.\n` +
    `Review that one; if you need another contract, ask your trainer for a bundle of that seed (lab pack 07 --seed <n>).\n`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (existsSync(fileURLToPath(GENERATOR))) {
    const { main } = await import('./hidden/handout.ts');
    process.exitCode = await main(process.argv.slice(2));
  } else {
    process.stderr.write(bundleNote());
    process.exitCode = 1;
  }
}
