import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, CustomersApi, FetchError, ResponseError, AuthApi } from '../../../mock-systems/erp/client/index.ts';
import { erp } from '../../../mock-systems/erp/index.ts';
import { crm, CRM_DEFAULT_API_KEY } from '../../../mock-systems/crm/index.ts';
import { createMswHandlers } from '../../../mock-systems/platform/msw.ts';

/** How fault rules show up through msw, as seen by the generated client and by plain fetch. */

const ERP_URL = 'http://erp.test';
const erpMock = createMswHandlers(erp, { baseUrl: ERP_URL, seed: 2, size: 10 });
// Without a base URL the handlers match the contract's paths on any origin.
const crmMock = createMswHandlers(crm, { seed: 2, size: 10 });
const server = setupServer(...erpMock.handlers, ...crmMock.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  erpMock.reset();
  crmMock.reset();
});
afterAll(() => server.close());

async function customers(): Promise<CustomersApi> {
  const token = await new AuthApi(new Configuration({ basePath: ERP_URL })).issueToken({ grantType: 'client_credentials', clientId: 'lab-client', clientSecret: 'lab-secret' });
  return new CustomersApi(new Configuration({ basePath: ERP_URL, accessToken: `Bearer ${token.accessToken}` }));
}

const input = (externalRef: string) => ({ externalRef, name: 'Ada Example', email: 'ada@example.com', country: 'DE' as const });

describe('faults through msw', () => {
  it('status: a problem+json with Retry-After', async () => {
    erpMock.faults.add({ match: { operationId: 'listCustomers' }, action: { type: 'status', status: 429, retryAfterSeconds: 3 } });
    const error = await (await customers()).listCustomers().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResponseError);
    const { response } = error as ResponseError;
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(erpMock.journal.list({ operationId: 'listCustomers' })[0]).toMatchObject({ status: 429, fault: 'status:429' });
  });

  it('latency: the answer still arrives, and the journal names the delay', async () => {
    erpMock.faults.add({ match: { operationId: 'listCustomers' }, action: { type: 'latency', ms: 20 } });
    const page = await (await customers()).listCustomers({ limit: 3 });
    expect(page.data).toHaveLength(3);
    expect(erpMock.journal.list({ operationId: 'listCustomers' })[0]!.fault).toBe('latency:20');
  });

  it.each(['reset', 'empty'] as const)('%s: the request fails as a network error (FetchError)', async (type) => {
    erpMock.faults.add({ match: { operationId: 'listCustomers' }, action: { type } });
    const error = await (await customers()).listCustomers().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FetchError);
    expect(erpMock.journal.list({ operationId: 'listCustomers' })[0]!.status).toBeUndefined();
  });

  it('lost-response: the write commits, the client sees a network error, a retry with the same key replays it', async () => {
    erpMock.faults.add({ match: { operationId: 'createCustomer' }, trigger: { calls: [1] }, action: { type: 'lost-response' } });
    const api = await customers();
    const lost = await api.createCustomer({ idempotencyKey: 'lost-1', customerInput: input('CON-910001') }).catch((caught: unknown) => caught);
    expect(lost).toBeInstanceOf(FetchError);
    expect([...erpMock.state.customers.values()].filter((customer) => customer.externalRef === 'CON-910001')).toHaveLength(1);

    const retried = await api.createCustomer({ idempotencyKey: 'lost-1', customerInput: input('CON-910001') });
    expect(retried.externalRef).toBe('CON-910001');
    expect([...erpMock.state.customers.values()].filter((customer) => customer.externalRef === 'CON-910001')).toHaveLength(1);
  });

  it('hang: no answer until the client gives up', async () => {
    erpMock.faults.add({ match: { operationId: 'listCustomers' }, action: { type: 'hang' } });
    const api = await customers();
    const error = await api.listCustomers({}, { signal: AbortSignal.timeout(50) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FetchError);
    expect(((error as FetchError).cause as Error).name).toMatch(/AbortError|TimeoutError/);
  });

  it('malformed: a 200 whose JSON is cut off, so parsing fails', async () => {
    erpMock.faults.add({ match: { operationId: 'listCustomers' }, action: { type: 'malformed' } });
    const error = await (await customers()).listCustomers().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SyntaxError);
  });

  it('without a base URL the contract paths match on any origin, under any prefix', async () => {
    for (const base of ['http://localhost:4010', 'https://crm.example.com/api/v1']) {
      const response = await fetch(`${base}/contacts?limit=1`, { headers: { 'x-api-key': CRM_DEFAULT_API_KEY } });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { data: unknown[] }).data).toHaveLength(1);
    }
    expect(crmMock.journal.list().map((entry) => entry.path)).toEqual(['/contacts', '/contacts']);
  });

  it('a base URL that is not absolute is refused with a clear message', () => {
    expect(() => createMswHandlers(crm, { baseUrl: 'crm.test' })).toThrow(/absolute URL/);
  });
});
