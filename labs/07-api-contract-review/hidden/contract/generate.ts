import { createRandom } from '../../../../mock-systems/platform/random.ts';
import { baseContract, type JsonObject } from './base.ts';
import { FLAWS } from './flaws.ts';

/** How many flaws a handout carries: enough to review, few enough for the 45 minutes. */
export const FLAWS_PER_CONTRACT = 6;

export interface PlantedFlaw {
  kind: string;
  site: string;
}

export interface Handout {
  seed: number;
  contract: JsonObject;
  planted: PlantedFlaw[];
}

/**
 * The flawed contract of one seed: six flaws of six different families, each at its own
 * site. The same seed always gives the same contract; what its flaws are in the catalogue's
 * terms is what the governance ruleset reports on it.
 */
export function generateHandout(seed: number): Handout {
  const random = createRandom(seed, 'lab:07-api-contract-review:handout');
  // A deep copy without shared objects: a flaw planted in one operation stays in that one.
  const contract = JSON.parse(JSON.stringify(baseContract())) as JsonObject;
  const families = random.helpers.shuffle([...new Set(FLAWS.map((flaw) => flaw.family))]).slice(0, FLAWS_PER_CONTRACT);
  const used = new Set<string>();
  const planted: PlantedFlaw[] = [];
  for (const family of families) {
    const flaw = random.helpers.arrayElement(FLAWS.filter((candidate) => candidate.family === family));
    const free = flaw.sites.filter((site) => !used.has(site));
    if (free.length === 0) continue;
    const site = random.helpers.arrayElement(free);
    used.add(site);
    flaw.plant(contract, site, random);
    planted.push({ kind: flaw.kind, site });
  }
  return { seed, contract, planted };
}
