import { Faker, base, en } from '@faker-js/faker';
import { createHash } from 'node:crypto';

/**
 * The one source of randomness in the project. Every random choice (seeded data, fault
 * probabilities, latency jitter, scenario drives) comes from a generator made here, so the
 * same seed gives the same data, the same faults and the same score.
 *
 * A `stream` names what the numbers are for. Separate streams keep one consumer's draws from
 * shifting another's: adding a field to the CRM generator must not change which request the
 * fault engine fails.
 */
export type Random = Faker;

export function createRandom(seed: number, stream: string): Random {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(deriveSeed(seed, stream));
  return faker;
}

/** A 32-bit seed from a user seed and a stream name, stable across platforms and versions. */
export function deriveSeed(seed: number, stream: string): number {
  const digest = createHash('sha256').update(`${seed}:${stream}`).digest();
  return digest.readUInt32BE(0);
}

/** A fresh seed for a graded run when the user gave none; the only unseeded draw we make. */
export function freshSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
