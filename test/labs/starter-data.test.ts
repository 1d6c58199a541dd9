import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ORDER_COUNT } from '../../labs/02-resilient-partner-calls/scenario.ts';
import { generatePartnerData } from '../../mock-systems/partner/data.ts';

const read = (path: string): unknown => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));

describe('data shipped in starters', () => {
  it("lab 02's orders.json is the export of lab start's default seed", () => {
    // Regenerate with: generatePartnerData({ seed: 1, size: ORDER_COUNT }).orders
    expect(read('labs/02-resilient-partner-calls/starter/orders.json')).toEqual(generatePartnerData({ seed: 1, size: ORDER_COUNT }).orders);
  });
});
