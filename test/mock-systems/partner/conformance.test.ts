import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePartnerData } from '../../../mock-systems/partner/data.ts';
import type { PartnerState } from '../../../mock-systems/partner/index.ts';
import type { MockServer } from '../../../mock-systems/platform/server.ts';
import { client, startPartner } from './start-partner.ts';

/**
 * For many seeds: book every generated order, then read every page, shipment and tracking at
 * several points of the journey. The platform answers 500 `response-contract-violation` when
 * a handler leaves the contract; each body is also checked against the contract here.
 */
let server: MockServer<PartnerState>;
const api = client(() => server);

beforeAll(async () => {
  server = await startPartner({ settings: { preBookedShipments: true } });
});
afterAll(async () => {
  await server?.close();
});

function expectConforming(method: string, path: string, response: { status: number; body: unknown }, allowed: number[]): void {
  expect(allowed, `${method} ${path}: ${JSON.stringify(response.body)}`).toContain(response.status);
  const found = server.contract.match(method, path.split('?')[0]!);
  if (!found || !('operation' in found)) throw new Error(`no operation for ${method} ${path}`);
  expect(found.operation.validateResponse(response.status, response.body), `${method} ${path}`).toEqual([]);
}

describe('partner responses conform to the contract', () => {
  it.each(Array.from({ length: 25 }, (_, i) => i * 104729 + 3))('seed %i', async (seed) => {
    server.reset({ seed, size: 24 });
    const { orders, planted } = generatePartnerData({ seed, size: 24 });
    const invalid = new Set(planted.invalid.map((entry) => entry.reference));
    const preBooked = new Set(planted.preBooked.map((entry) => entry.reference));
    for (const order of orders) {
      const response = await api.book(order);
      const expected = invalid.has(order.reference) ? 422 : preBooked.has(order.reference) ? 409 : 201;
      expectConforming('POST', '/shipments', response, [expected]);
    }
    for (const advanceHours of [0, 12, 200]) {
      server.clock.advance(advanceHours * 3_600_000);
      let cursor: string | null = null;
      do {
        const path = `/shipments?limit=10${cursor ? `&cursor=${cursor}` : ''}`;
        const page: any = await api.get(path);
        expectConforming('GET', path, page, [200]);
        for (const shipment of page.body.data) {
          for (const itemPath of [`/shipments/${shipment.id}`, `/shipments/${shipment.id}/tracking`]) {
            expectConforming('GET', itemPath, await api.get(itemPath), [200]);
          }
        }
        cursor = page.body.page.nextCursor;
      } while (cursor);
    }
    expect(server.state.shipments).toHaveLength(orders.length - invalid.size);
  });
});
