import { freshSeed } from '../../mock-systems/platform/random.ts';

/** Which seeds each part of `lab validate` grades on; every one is printed so it can be replayed. */
export interface ValidationSeeds {
  /** The fixed seeds (1..n): the same on every run, so a lab that once validated stays comparable. */
  fixed: number[];
  /** Drawn afresh for this run, the way `lab grade` draws its seeds. */
  random: number[];
  /** The reference is graded on all of these: fixed, then random. */
  reference: number[];
  /** Each mutant is graded on these and must be caught on every one. */
  mutants: number[];
  /** The reference is graded a second time on this seed; both results must be identical. */
  determinism: number;
}

export const DEFAULT_FIXED_SEEDS = 5;
export const DEFAULT_RANDOM_SEEDS = 3;
export const MUTANT_SEED_COUNT = 2;

export interface SeedRequest {
  /** Exactly these seeds (a replay): no fixed or random ones are added. */
  seeds?: number[];
  fixedCount?: number;
  randomCount?: number;
  mutantSeedCount?: number;
  draw?: () => number;
}

/**
 * Mutants get the first fixed seed and, when there are any, the first random one: a check
 * that catches a mutant only on some seeds shows up over many runs instead of hiding behind
 * the same two seeds forever.
 */
export function planValidationSeeds(request: SeedRequest = {}): ValidationSeeds {
  const mutantCount = Math.max(1, request.mutantSeedCount ?? MUTANT_SEED_COUNT);
  if (request.seeds) {
    if (request.seeds.length === 0) throw new Error('validation needs at least one seed');
    const seeds = [...new Set(request.seeds)];
    return { fixed: seeds, random: [], reference: seeds, mutants: seeds.slice(0, mutantCount), determinism: seeds[0]! };
  }
  const fixed = Array.from({ length: request.fixedCount ?? DEFAULT_FIXED_SEEDS }, (_, index) => index + 1);
  const draw = request.draw ?? freshSeed;
  const random: number[] = [];
  for (let attempt = 0; random.length < (request.randomCount ?? DEFAULT_RANDOM_SEEDS) && attempt < 1000; attempt++) {
    const seed = draw();
    if (!fixed.includes(seed) && !random.includes(seed)) random.push(seed);
  }
  const reference = [...fixed, ...random];
  const mutants = [fixed[0], random[0], ...fixed.slice(1)].filter((seed): seed is number => seed !== undefined).slice(0, mutantCount);
  return { fixed, random, reference, mutants, determinism: reference[0] ?? 1 };
}
