/**
 * An example unit test: bookOrder runs against msw, which answers in-process with the partner's
 * own behaviour, and the mock's fault rules script its failures. No server, no waiting on a network.
 * Run it with: npx vitest run <this folder>
 */
import { Configuration, ShipmentsApi, type BookingRequest } from '@integration-lab/clients/partner';
import { createMswHandlers, partner } from '@integration-lab/clients/mocks';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import orders from '../orders.json' with { type: 'json' };
import { bookOrder } from '../src/book-order.ts';

const PARTNER_URL = 'http://partner.test';
// No everyday faults: each test scripts the failures it is about.
const partnerMock = createMswHandlers(partner, { baseUrl: PARTNER_URL, seed: 1, faults: [] });
const server = setupServer(...partnerMock.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => partnerMock.reset());
afterAll(() => server.close());

describe('booking one order', () => {
  const api = new ShipmentsApi(new Configuration({ basePath: PARTNER_URL, apiKey: partnerMock.config.credentials.apiKey }));
  const order = orders[0] as BookingRequest;

  it('books an order the partner accepts', async () => {
    const outcome = await bookOrder(order, { api, log: () => {} });
    expect(outcome).toMatchObject({ reference: order.reference, outcome: 'booked', attempts: 1 });
    expect(partnerMock.journal.count({ operationId: 'createShipment' })).toBe(1);
  });

  // Next: script a transient failure and test what your client does with it, e.g.
  // partnerMock.faults.add({ match: { operationId: 'createShipment' }, trigger: { calls: [1] },
  //   action: { type: 'status', status: 503, retryAfterSeconds: 1 } });
  it.todo('books the order after a 503 that asks to wait a second');
});
