import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PACKED_NIGHT_FILE, type PackedNight } from './incident/packed-night.ts';

/**
 * `npx tsx labs/06-incident-troubleshooting/handout.ts [--seed <n>] [--force] <folder>` writes
 * the incident of a seed into a folder. The generator replays the night from its plan, which is
 * the answer key, so it lives in hidden/ (hidden/handout.ts): the full lab runs it from here; a
 * take-home bundle has not got it, and holds the handout of its one night in work/ instead.
 */
const GENERATOR = new URL('./hidden/handout.ts', import.meta.url);

function bundleNote(): string {
  const packed = new URL(PACKED_NIGHT_FILE, import.meta.url);
  const seed = existsSync(packed) ? (JSON.parse(readFileSync(packed, 'utf8')) as PackedNight).seed : undefined;
  return (
    `This is a take-home bundle: it holds the handout of one night${seed === undefined ? '' : ` (seed ${seed})`}, already in work/ ` +
    `(work/handout/, with work/diagnosis.yaml and work/mitigation.yaml to answer in), and not the generator that writes other nights.\n` +
    `Work on that one; if you need another night, ask your trainer for a bundle of that seed (lab pack 06 --seed <n>).\n`
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
