import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEnvironment } from '../../grader/environment/environment.ts';
import { startEnvironment } from '../../grader/environment/index.ts';
import { scenarioRandom } from '../../grader/grading/lab-session.ts';
import { findLab, resolveLabsDir } from '../../grader/labs/catalogue.ts';
import { loadScenario } from '../../grader/labs/load-scenario.ts';
import { generateErpData } from '../../mock-systems/erp/data.ts';
import { DEFAULT_SIZE } from '../../mock-systems/platform/runtime.ts';
import { GOOD_CUSTOMERS, payableInvoices } from '../../labs/04-dlq-replay/grading/stream.ts';

/**
 * The Kafka labs plan their events from the ERP's seeded records. Seeds whose ERP is short of
 * what the plan needs (few open orders, few payable invoices) must be topped up, not refused.
 * One environment serves every seed: the ERP is reset to each seed, and setup only appends
 * to the topics.
 */
const SHORT_OF_OPEN_ORDERS = [12, 42, 43];

function seedsWithFewPayableInvoices(count: number): number[] {
  const seeds: number[] = [];
  for (let seed = 1; seeds.length < count; seed++) {
    if (payableInvoices(generateErpData({ seed, size: DEFAULT_SIZE })).length < GOOD_CUSTOMERS) seeds.push(seed);
  }
  return seeds;
}

describe.each([
  { query: '03', seeds: [...SHORT_OF_OPEN_ORDERS, 1, 2, 3] },
  { query: '04', seeds: [...seedsWithFewPayableInvoices(2), 1, 2] },
])('lab $query sets up on seeds its ERP is short for', ({ query, seeds }) => {
  const lab = findLab(resolveLabsDir(), query);
  let env: LabEnvironment;
  beforeAll(async () => {
    env = await startEnvironment({ seed: seeds[0]!, services: lab.manifest.services });
  }, 60_000);
  afterAll(() => env?.stop());

  it.each(seeds)('seed %i', async (seed) => {
    const scenario = await loadScenario(lab);
    await env.systems.erp!.reset({ seed });
    await expect(scenario.setup!({ seed, lab: lab.manifest, env, random: scenarioRandom(lab, seed) })).resolves.toBeDefined();
  }, 30_000);
});
