import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthApi, Configuration, CustomersApi, type CustomerInput } from '../../mock-systems/erp/client/index.ts';
import { erp, type ErpState } from '../../mock-systems/erp/index.ts';
import { startMockServer, type MockServer } from '../../mock-systems/platform/server.ts';
import { expectProblem } from './problem.ts';

let server: MockServer<ErpState>;

beforeAll(async () => {
  server = await startMockServer(erp, { port: 0, seed: 3, size: 20 });
});
afterAll(() => server.close());

async function customersApi(): Promise<CustomersApi> {
  const token = await new AuthApi(new Configuration({ basePath: server.url })).issueToken({
    grantType: 'client_credentials',
    clientId: 'lab-client',
    clientSecret: 'lab-secret',
  });
  // The generated client sends an OAuth2 token as given, so the scheme is part of the value.
  return new CustomersApi(new Configuration({ basePath: server.url, accessToken: `${token.tokenType} ${token.accessToken}` }));
}

const newCustomer = (externalRef: string): CustomerInput => ({
  externalRef,
  name: 'Ada Example',
  email: 'ada@example.com',
  country: 'DE',
  birthDate: new Date('1990-04-01'),
});

describe('generated ERP client against the mock server', () => {
  it('gets a token with client credentials and creates a customer once per Idempotency-Key', async () => {
    const customers = await customersApi();
    const created = await customers.createCustomerRaw({ idempotencyKey: 'client-test-1', customerInput: newCustomer('CON-700001') });
    expect(created.raw.status).toBe(201);
    const customer = await created.value();
    expect(customer.externalRef).toBe('CON-700001');
    expect(customer.birthDate?.toISOString().slice(0, 10)).toBe('1990-04-01');

    // A retry with the same key replays the first answer instead of writing twice.
    const replay = await customers.createCustomer({ idempotencyKey: 'client-test-1', customerInput: newCustomer('CON-700001') });
    expect(replay.id).toBe(customer.id);
    expect([...server.state.customers.values()].filter((record) => record.externalRef === 'CON-700001')).toHaveLength(1);

    const fetched = await customers.getCustomer({ customerId: customer.id });
    expect(fetched.name).toBe('Ada Example');
  });

  it('surfaces a 401 problem without a token', async () => {
    const anonymous = new CustomersApi(new Configuration({ basePath: server.url }));
    const problem = await expectProblem(() => anonymous.listCustomers());
    expect(problem.status).toBe(401);
    expect(problem.contentType).toContain('application/problem+json');
  });

  it('surfaces contract violations in the body with JSON pointers', async () => {
    const customers = await customersApi();
    const problem = await expectProblem(() =>
      customers.createCustomer({ idempotencyKey: 'client-test-2', customerInput: { ...newCustomer('CON-700002'), email: 'not-an-email' } }),
    );
    expect(problem.status).toBe(400);
    expect(problem.body.errors).toContainEqual(expect.objectContaining({ pointer: '/body/email' }));
  });
});
