import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generatePartnerData, type ShipmentOrder } from '../../../mock-systems/partner/data.ts';
import { partner, PARTNER_DEFAULT_FAULTS, type PartnerState } from '../../../mock-systems/partner/index.ts';
import { startMockServer, type MockServer } from '../../../mock-systems/platform/server.ts';
import { jsonOf } from '../../support/http.ts';
import { client, startPartner } from './start-partner.ts';

const SEED = 31;
const SIZE = 40;
const { orders, planted } = generatePartnerData({ seed: SEED, size: SIZE });
const invalid = new Map(planted.invalid.map((entry) => [entry.reference, entry]));
const validOrders = orders.filter((order) => !invalid.has(order.reference));

let server: MockServer<PartnerState>;
const api = client(() => server);

beforeAll(async () => {
  server = await startPartner({ seed: SEED, size: SIZE });
});
afterAll(async () => {
  await server?.close();
});
beforeEach(() => server.reset());

describe('booking', () => {
  it('books a valid order: 201, Location, the shipment as booked', async () => {
    const order = validOrders[0]!;
    const { status, headers, body } = await api.book(order);
    expect(status).toBe(201);
    expect(headers.get('location')).toBe(`/shipments/${body.id}`);
    expect(body).toMatchObject({
      id: 'SHP-000001',
      reference: order.reference,
      status: 'booked',
      serviceLevel: order.serviceLevel,
      destination: order.destination,
      parcels: order.parcels,
      price: { currency: 'EUR', amount: expect.any(Number) },
      trackingNumber: expect.stringMatching(/^PX\d{10}$/),
    });
    expect(await api.get(`/shipments/${body.id}`)).toMatchObject({ status: 200, body });
  });

  it('answers a second booking of the same reference with 409 naming the first booking', async () => {
    const order = validOrders[1]!;
    const first = await api.book(order);
    const again = await api.book({ ...order, serviceLevel: 'express' });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
    expect(again.body).toMatchObject({ status: 409, existingShipmentId: first.body.id });
    expect(server.state.shipments).toHaveLength(1);
  });

  it('refuses every planted invalid order with 422 naming the broken rule, and books nothing', async () => {
    expect(planted.invalid.length).toBeGreaterThan(0);
    for (const { reference, reason, pointer } of planted.invalid) {
      const { status, body } = await api.book(orders.find((order) => order.reference === reference));
      expect(status, reference).toBe(422);
      expect(body.errors).toEqual([{ pointer: `/body${pointer}`, reason, message: expect.any(String) }]);
    }
    expect(server.state.shipments).toHaveLength(0);
  });

  it('lists every broken rule at once', async () => {
    const order: ShipmentOrder = structuredClone(validOrders[2]!);
    order.serviceLevel = 'overnight';
    order.parcels = [{ weightKg: 40, lengthCm: 10, widthCm: 10, heightCm: 10 }, { weightKg: 1, lengthCm: 10, widthCm: 10, heightCm: 10 }];
    order.destination.country = 'JP';
    const { status, body } = await api.book(order);
    expect(status).toBe(422);
    expect(body.errors.map((error: { reason: string }) => error.reason).sort()).toEqual(['parcel-too-heavy', 'unknown-service-level', 'unsupported-destination']);
  });

  it('answers a body outside the contract with 400 and no booking', async () => {
    const { parcels: _, ...withoutParcels } = validOrders[3]!;
    const { status, body } = await api.book({ ...withoutParcels, colour: 'red' });
    expect(status).toBe(400);
    expect(body.errors.map((error: { pointer: string }) => error.pointer).sort()).toEqual(['/body/colour', '/body/parcels']);
    expect(server.state.shipments).toHaveLength(0);
  });
});

describe('reading shipments', () => {
  it('finds a booking by reference, and nothing for an unknown one', async () => {
    for (const order of validOrders.slice(0, 3)) await api.book(order);
    const found = await api.get(`/shipments?reference=${validOrders[1]!.reference}`);
    expect(found.status).toBe(200);
    expect(found.body.data.map((s: { reference: string }) => s.reference)).toEqual([validOrders[1]!.reference]);
    expect((await api.get('/shipments?reference=ORD-999999')).body).toEqual({ data: [], page: { limit: 25, nextCursor: null } });
  });

  it('pages all shipments in booking order', async () => {
    for (const order of validOrders.slice(0, 7)) await api.book(order);
    const references: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await api.get(`/shipments?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      references.push(...page.body.data.map((s: { reference: string }) => s.reference));
      cursor = page.body.page.nextCursor;
    } while (cursor);
    expect(references).toEqual(validOrders.slice(0, 7).map((order) => order.reference));
    expect((await api.get('/shipments?cursor=nonsense')).status).toBe(400);
  });

  it('answers 404 for an unknown shipment and 400 for a malformed id', async () => {
    expect((await api.get('/shipments/SHP-999999')).status).toBe(404);
    expect((await api.get('/shipments/SHP-999999/tracking')).status).toBe(404);
    expect((await api.get('/shipments/42')).status).toBe(400);
  });

  it('tracks the journey as the clock moves on, ending delivered', async () => {
    const { body: shipment } = await api.book(validOrders[0]!);
    const before = await api.get(`/shipments/${shipment.id}/tracking`);
    expect(before.body).toMatchObject({ shipmentId: shipment.id, trackingNumber: shipment.trackingNumber, status: 'booked' });
    expect(before.body.events.map((e: { status: string }) => e.status)).toEqual(['booked']);

    server.clock.advance(11 * 3_600_000);
    const moving = await api.get(`/shipments/${shipment.id}/tracking`);
    expect(moving.body.events.map((e: { status: string }) => e.status)).toEqual(['booked', 'picked-up', 'in-transit']);
    expect((await api.get(`/shipments/${shipment.id}`)).body.status).toBe('in-transit');

    server.clock.advance(7 * 24 * 3_600_000);
    const done = await api.get(`/shipments/${shipment.id}/tracking`);
    expect(done.body.status).toBe('delivered');
    const times = done.body.events.map((e: { at: string }) => e.at);
    expect([...times].sort()).toEqual(times);
  });
});

describe('auth and rate limit', () => {
  it('refuses a missing or wrong API key with 401', async () => {
    const wrong = client(() => server, 'nope');
    expect((await wrong.get('/shipments')).status).toBe(401);
    expect((await fetch(`${server.url}/shipments`)).status).toBe(401);
  });

  it('answers 429 with Retry-After once the burst is spent, and serves again after that wait', async () => {
    const limited = await startPartner({ seed: SEED, size: SIZE, settings: { rateLimitPerSecond: 0.001, burst: 3 } });
    try {
      const limitedApi = client(() => limited);
      for (let i = 0; i < 3; i += 1) expect((await limitedApi.get('/shipments')).status).toBe(200);
      const refused = await limitedApi.get('/shipments');
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 1000).toBe(true);
      // Another key has its own bucket; a wrong key is refused before it costs a token.
      expect((await client(() => limited, 'other').get('/shipments')).status).toBe(401);
      limited.clock.advance(retryAfter * 1000);
      expect((await limitedApi.get('/shipments')).status).toBe(200);
      expect((await limitedApi.get('/shipments')).status).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it('changes its rate limit through the admin API until the next reset, refusing bad values', async () => {
    const limited = await startPartner({ seed: SEED, size: SIZE, settings: { rateLimitPerSecond: 10, burst: 20 } });
    const settings = (body: unknown) =>
      fetch(`${limited.url}/__admin/settings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    try {
      const limitedApi = client(() => limited);
      expect(await jsonOf(settings({ rateLimitPerSecond: 0.001, burst: 1 }))).toEqual({ settings: expect.objectContaining({ rateLimitPerSecond: 0.001, burst: 1 }) });
      expect((await limitedApi.get('/shipments')).status).toBe(200);
      expect((await limitedApi.get('/shipments')).status).toBe(429);
      const refused = await settings({ burst: 0 });
      expect(refused.status).toBe(400);
      expect((await jsonOf(refused)).detail).toMatch(/burst must be an integer >= 1.*Nothing was changed/);
      expect((await settings({ rateLimitPerMinute: 5 })).status).toBe(400);
      expect((await jsonOf(settings({ preBookedShipments: true }))).detail).toMatch(/cannot change preBookedShipments while it runs; it can change rateLimitPerSecond, burst/);
      expect((await jsonOf(fetch(`${limited.url}/__admin/settings`))).settings).toMatchObject({ burst: 1 });
      await settings({ rateLimitPerSecond: 0 });
      for (let i = 0; i < 30; i += 1) expect((await limitedApi.get('/shipments')).status).toBe(200);
      limited.reset();
      expect((await jsonOf(fetch(`${limited.url}/__admin/settings`))).settings).toMatchObject({ rateLimitPerSecond: 10, burst: 20 });
    } finally {
      await limited.close();
    }
  });

  it('has no rate limit and no everyday faults when started quiet (npm start -- --no-faults)', async () => {
    const quiet = await startMockServer(partner, { port: 0, quiet: true });
    try {
      expect(quiet.config.settings.rateLimitPerSecond).toBe(0);
      expect(quiet.faults.list()).toEqual([]);
      const quietApi = client(() => quiet);
      for (let i = 0; i < 40; i += 1) expect((await quietApi.get('/shipments')).status).toBe(200);
    } finally {
      await quiet.close();
    }
  });

  it('refuses settings it cannot use with a clear error', async () => {
    await expect(startPartner({ settings: { rateLimitPerSecond: 'fast' } })).rejects.toThrow(/rateLimitPerSecond/);
    await expect(startPartner({ settings: { burst: 0 } })).rejects.toThrow(/burst/);
  });
});

describe('faults and planted history', () => {
  it('ships occasional 503s and slow answers as default faults', async () => {
    const withDefaults = await startMockServer(partner, { port: 0, size: 3 });
    try {
      expect(withDefaults.faults.list().map((rule) => rule.id).sort()).toEqual(PARTNER_DEFAULT_FAULTS.map((rule) => rule.id).sort());
    } finally {
      await withDefaults.close();
    }
  });

  it('lets a fault rule fail the first booking attempt of every shipment (entity = reference)', async () => {
    server.faults.add({
      match: { operationId: 'createShipment' },
      trigger: { calls: [1], countBy: 'entity' },
      action: { type: 'status', status: 503, retryAfterSeconds: 2 },
    });
    for (const order of validOrders.slice(0, 2)) {
      const first = await api.book(order);
      expect(first.status).toBe(503);
      expect(first.headers.get('retry-after')).toBe('2');
      expect((await api.book(order)).status).toBe(201);
    }
    expect(server.journal.list().filter((entry) => entry.operationId === 'createShipment').map((entry) => entry.entity)).toEqual([
      validOrders[0]!.reference,
      validOrders[0]!.reference,
      validOrders[1]!.reference,
      validOrders[1]!.reference,
    ]);
  });

  it('holds the planted earlier bookings when preBookedShipments is on', async () => {
    const withHistory = await startPartner({ seed: SEED, size: SIZE, settings: { preBookedShipments: true } });
    try {
      expect(planted.preBooked.length).toBeGreaterThan(0);
      const history = client(() => withHistory);
      for (const { reference } of planted.preBooked) {
        const existing = await history.get(`/shipments?reference=${reference}`);
        expect(existing.body.data).toHaveLength(1);
        expect(existing.body.data[0].status).toBe('delivered');
        const again = await history.book(orders.find((order) => order.reference === reference));
        expect(again).toMatchObject({ status: 409, body: { existingShipmentId: existing.body.data[0].id } });
      }
      const snapshot = (await (await fetch(`${withHistory.url}/__admin/state`)).json()) as { shipments: Array<{ reference: string }> };
      expect(snapshot.shipments.map((s) => s.reference).sort()).toEqual(planted.preBooked.map((p) => p.reference));
    } finally {
      await withHistory.close();
    }
  });
});
