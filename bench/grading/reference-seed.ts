import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { findLab, resolveLabsDir } from '../../grader/labs/catalogue.ts';

/**
 * The seed to grade a lab's reference on: the one its answers file names, for a lab whose answers
 * say which seed's handout they were written for (labs 06 and 07: a seed given with --seed is the
 * one graded, and the reference answers one seed only); `fallback` for every other lab.
 */
export function referenceSeed(labId: string, checkout: string, fallback: number): number {
  const lab = findLab(resolveLabsDir(), labId);
  const entry = lab.manifest.entry;
  if (entry.kind !== 'answers' || !entry.file) return fallback;
  const file = join(checkout, 'solutions', labId, entry.file);
  if (!existsSync(file)) return fallback;
  const seed = (parse(readFileSync(file, 'utf8')) as { seed?: unknown } | null)?.seed;
  return typeof seed === 'number' && Number.isSafeInteger(seed) ? seed : fallback;
}
