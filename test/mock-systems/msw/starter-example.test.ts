/**
 * The example unit test every starter kit ships (docs/clients-and-msw.md shows it to copy):
 * the code under test talks to the CRM, ERP and partner through the generated clients, and msw
 * answers in-process with the mock systems' own behaviour, offline, with no server to start.
 * In a starter the functions under test live in src/; here they are inline.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as crmClient from '../../../mock-systems/crm/client/index.ts';
import { generateCrmData } from '../../../mock-systems/crm/data.ts';
import { CRM_DEFAULT_API_KEY, crm } from '../../../mock-systems/crm/index.ts';
import * as erpClient from '../../../mock-systems/erp/client/index.ts';
import { erp } from '../../../mock-systems/erp/index.ts';
import * as partnerClient from '../../../mock-systems/partner/client/index.ts';
import { PARTNER_DEFAULT_API_KEY, partner } from '../../../mock-systems/partner/index.ts';
import { createMswHandlers } from '../../../mock-systems/platform/msw.ts';

// ---- the code under test (a starter's src/) ------------------------------------------------

/** Every contact of one account, following the CRM's cursor pages to the end. */
export async function contactsOfAccount(api: crmClient.ContactsApi, accountId: string): Promise<crmClient.Contact[]> {
  const contacts: crmClient.Contact[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.listContacts({ accountId, limit: 2, ...(cursor ? { cursor } : {}) });
    contacts.push(...page.data);
    cursor = page.page.nextCursor ?? undefined;
  } while (cursor);
  return contacts;
}

/** A bearer-token ERP client for the lab's client credentials. */
export async function erpCustomers(basePath: string): Promise<erpClient.CustomersApi> {
  const token = await new erpClient.AuthApi(new erpClient.Configuration({ basePath })).issueToken({
    grantType: 'client_credentials',
    clientId: 'lab-client',
    clientSecret: 'lab-secret',
  });
  return new erpClient.CustomersApi(new erpClient.Configuration({ basePath, accessToken: `Bearer ${token.accessToken}` }));
}

/** Books a shipment, retrying once when the partner answers 503. */
export async function bookWithOneRetry(api: partnerClient.ShipmentsApi, booking: partnerClient.BookingRequest): Promise<partnerClient.Shipment> {
  try {
    return await api.createShipment({ bookingRequest: booking });
  } catch (error) {
    if (error instanceof partnerClient.ResponseError && error.response.status === 503) return api.createShipment({ bookingRequest: booking });
    throw error;
  }
}

// ---- the test -------------------------------------------------------------------------------

const CRM_URL = 'http://crm.test';
const ERP_URL = 'http://erp.test';
const PARTNER_URL = 'http://partner.test';
const SEED = 42;
const SIZE = 30;

const crmMock = createMswHandlers(crm, { baseUrl: CRM_URL, seed: SEED, size: SIZE });
const erpMock = createMswHandlers(erp, { baseUrl: ERP_URL, seed: SEED, size: SIZE });
// No default faults (occasional 503s and slow answers): each test adds the faults it is about.
const partnerMock = createMswHandlers(partner, { baseUrl: PARTNER_URL, seed: SEED, size: SIZE, faults: [] });

const server = setupServer(...crmMock.handlers, ...erpMock.handlers, ...partnerMock.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  // Every test starts from the seeded data, an empty journal and no extra faults.
  for (const mock of [crmMock, erpMock, partnerMock]) mock.reset();
});
afterAll(() => server.close());

describe('starter example: unit tests against msw mocks', () => {
  it('reads every contact of an account across pages', async () => {
    const { contacts } = generateCrmData({ seed: SEED, size: SIZE });
    const accountId = contacts[0]!.accountId;
    const api = new crmClient.ContactsApi(new crmClient.Configuration({ basePath: CRM_URL, apiKey: CRM_DEFAULT_API_KEY }));

    const found = await contactsOfAccount(api, accountId);

    expect(found.map((contact) => contact.id)).toEqual(contacts.filter((contact) => contact.accountId === accountId).map((contact) => contact.id));
    // The mock's journal shows how the code called the API.
    expect(crmMock.journal.count({ operationId: 'listContacts' })).toBe(Math.max(1, Math.ceil(found.length / 2)));
  });

  it('creates an ERP customer once, however often the write is retried', async () => {
    const customers = await erpCustomers(ERP_URL);
    const input: erpClient.CustomerInput = { externalRef: 'CON-900001', name: 'Ada Example', email: 'ada@example.com', country: 'DE' };

    const first = await customers.createCustomer({ idempotencyKey: 'contact-CON-900001', customerInput: input });
    const retried = await customers.createCustomer({ idempotencyKey: 'contact-CON-900001', customerInput: input });

    expect(retried.id).toBe(first.id);
    expect([...erpMock.state.customers.values()].filter((customer) => customer.externalRef === 'CON-900001')).toHaveLength(1);
  });

  it('books a shipment even when the partner fails the first attempt', async () => {
    partnerMock.faults.add({ match: { operationId: 'createShipment' }, trigger: { calls: [1] }, action: { type: 'status', status: 503 } });
    const api = new partnerClient.ShipmentsApi(new partnerClient.Configuration({ basePath: PARTNER_URL, apiKey: PARTNER_DEFAULT_API_KEY }));
    const booking: partnerClient.BookingRequest = {
      reference: 'ORD-900001',
      serviceLevel: 'standard',
      origin: { name: 'Lab Warehouse', street: 'Hafenstrasse 1', postalCode: '20457', city: 'Hamburg', country: 'DE' },
      destination: { name: 'Ada Example', street: 'Main Street 5', postalCode: '10115', city: 'Berlin', country: 'DE' },
      parcels: [{ weightKg: 2.5 }],
    };

    const shipment = await bookWithOneRetry(api, booking);

    expect(shipment.reference).toBe('ORD-900001');
    expect(partnerMock.journal.list({ operationId: 'createShipment' }).map((entry) => entry.status)).toEqual([503, 201]);
  });

  it('gets a problem+json 400 listing every contract violation', async () => {
    const api = new crmClient.ContactsApi(new crmClient.Configuration({ basePath: CRM_URL, apiKey: CRM_DEFAULT_API_KEY }));
    const error = await api.listContacts({ limit: 0 }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(crmClient.ResponseError);
    const problem = crmClient.ProblemFromJSON(await (error as crmClient.ResponseError).response.json());
    expect(problem.status).toBe(400);
    expect(problem.errors?.map((violation) => violation.pointer)).toEqual(['/query/limit']);
  });
});
