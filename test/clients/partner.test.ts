import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, ShipmentsApi, type BookingRequest } from '../../mock-systems/partner/client/index.ts';
import { generatePartnerData } from '../../mock-systems/partner/data.ts';
import { PARTNER_DEFAULT_API_KEY, partner, type PartnerState } from '../../mock-systems/partner/index.ts';
import { startMockServer, type MockServer } from '../../mock-systems/platform/server.ts';
import { expectProblem } from './problem.ts';

const SEED = 5;
const SIZE = 30;
const { orders, planted } = generatePartnerData({ seed: SEED, size: SIZE });
const refused = new Set(planted.invalid.map((rejection) => rejection.reference));
const valid = orders.filter((order) => !refused.has(order.reference));
const invalid = orders.filter((order) => refused.has(order.reference));

let server: MockServer<PartnerState>;
let shipments: ShipmentsApi;

beforeAll(async () => {
  // No default faults and no rate limit: this suite is about the client, not resilience.
  server = await startMockServer(partner, { port: 0, seed: SEED, size: SIZE, faults: [], settings: { rateLimitPerSecond: 0 } });
  shipments = new ShipmentsApi(new Configuration({ basePath: server.url, apiKey: PARTNER_DEFAULT_API_KEY }));
});
afterAll(() => server.close());

const bookingOf = (order: (typeof orders)[number]): BookingRequest => ({
  reference: order.reference,
  serviceLevel: order.serviceLevel,
  origin: order.origin,
  destination: order.destination,
  parcels: order.parcels,
});

describe('generated partner client against the mock server', () => {
  it('books a shipment and reads its tracking', async () => {
    const order = valid[0]!;
    const shipment = await shipments.createShipment({ bookingRequest: bookingOf(order) });
    expect(shipment.reference).toBe(order.reference);
    expect(shipment.id).toMatch(/^SHP-\d{6}$/);

    const tracking = await shipments.getShipmentTracking({ shipmentId: shipment.id });
    expect(tracking.shipmentId).toBe(shipment.id);

    const found = await shipments.listShipments({ reference: order.reference });
    expect(found.data.map((entry) => entry.id)).toEqual([shipment.id]);
  });

  it('surfaces the partner refusing a planted bad order as a problem', async () => {
    expect(invalid.length).toBeGreaterThan(0);
    const problem = await expectProblem(() => shipments.createShipment({ bookingRequest: bookingOf(invalid[0]!) }));
    expect(problem.status).toBe(422);
    expect(problem.contentType).toContain('application/problem+json');
    expect(problem.body.errors?.map((error) => error.pointer)).toContain('/body' + planted.invalid.find((entry) => entry.reference === invalid[0]!.reference)!.pointer);
  });
});
