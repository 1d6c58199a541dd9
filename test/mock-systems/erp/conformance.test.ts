import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErpState } from '../../../mock-systems/erp/index.ts';
import type { MockServer } from '../../../mock-systems/platform/server.ts';
import { call, contractSchemas, startErp, token } from './erp-client.ts';

/**
 * Every GET operation over every page, for many seeds. The platform answers 500
 * `response-contract-violation` when a handler leaves the contract; on top of that each body
 * is checked here against the contract's schema with a validator of our own.
 */
const schemas = contractSchemas();
const LISTS = [
  { path: '/sales-orders', schema: 'SalesOrderPage', item: 'SalesOrder' },
  { path: '/customers', schema: 'CustomerPage', item: 'Customer' },
  { path: '/invoices', schema: 'InvoicePage', item: 'Invoice' },
  { path: '/payments', schema: 'PaymentPage', item: 'Payment' },
] as const;

let server: MockServer<ErpState>;

beforeAll(async () => {
  server = await startErp();
});
afterAll(async () => {
  await server?.close();
});

async function conformingGet(bearer: string, path: string, schema: string): Promise<any> {
  const result = await call(server, 'GET', path, { token: bearer });
  expect(result.status, `${path}: ${JSON.stringify(result.body)}`).toBe(200);
  expect(schemas.check(schema, result.body), path).toEqual([]);
  return result.body;
}

describe('ERP GET responses conform to the contract', () => {
  it('declares every GET operation this test walks', () => {
    const getOperations = Object.values(schemas.document.paths as Record<string, Record<string, { operationId: string }>>)
      .flatMap((item) => (item.get ? [item.get.operationId] : []));
    expect(getOperations.sort()).toEqual(
      ['getCustomer', 'getInvoice', 'getPayment', 'getSalesOrder', 'listCustomers', 'listInvoices', 'listPayments', 'listSalesOrders'],
    );
  });

  it.each(Array.from({ length: 25 }, (_, i) => i * 7907 + 5))('seed %i', async (seed) => {
    server.reset({ seed, size: 12 + (seed % 40) });
    const bearer = await token(server);
    for (const list of LISTS) {
      let page = 1;
      let seen = 0;
      for (;;) {
        const body = await conformingGet(bearer, `${list.path}?page=${page}&limit=20`, list.schema);
        // One get by id per page keeps 25 seeds fast; the generator test checks every record's schema.
        const [first, last] = [body.data[0], body.data.at(-1)];
        for (const record of first === last ? [first] : [first, last]) {
          if (record) await conformingGet(bearer, `${list.path}/${record.id}`, list.item);
        }
        seen += body.data.length;
        if (page >= body.page.totalPages) break;
        page++;
      }
      expect(seen).toBe((await conformingGet(bearer, `${list.path}?limit=1`, list.schema)).page.totalItems);
      // A page past the end is empty, not an error.
      expect((await conformingGet(bearer, `${list.path}?page=${page + 1}&limit=20`, list.schema)).data).toEqual([]);
    }
    // The filters too.
    const state = server.state;
    const customer = [...state.customers.values()][0]!;
    const invoice = [...state.invoices.values()].at(-1)!;
    for (const path of [
      `/customers?status=active&country=${customer.country}`,
      `/customers?email=${encodeURIComponent(customer.email.toUpperCase())}`,
      `/sales-orders?customerId=${customer.id}&status=invoiced`,
      `/invoices?status=open&customerId=${invoice.customerId}`,
      `/invoices?updatedSince=${encodeURIComponent(invoice.updatedAt)}`,
      `/payments?invoiceId=${invoice.id}`,
    ]) {
      await conformingGet(bearer, path, path.startsWith('/customers') ? 'CustomerPage' : path.startsWith('/sales') ? 'SalesOrderPage' : path.startsWith('/inv') ? 'InvoicePage' : 'PaymentPage');
    }
  });

  it('filters really filter', async () => {
    server.reset({ seed: 3, size: 40 });
    const bearer = await token(server);
    const customer = [...server.state.customers.values()][5]!;
    const byEmail = await conformingGet(bearer, `/customers?email=${encodeURIComponent(customer.email.toUpperCase())}&limit=100`, 'CustomerPage');
    expect(byEmail.data.map((c: { id: string }) => c.id)).toContain(customer.id);
    expect(byEmail.data.every((c: { email: string }) => c.email === customer.email)).toBe(true);
    const open = await conformingGet(bearer, '/invoices?status=open&limit=100', 'InvoicePage');
    expect(open.data.length).toBeGreaterThan(0);
    expect(open.data.every((i: { status: string }) => i.status === 'open')).toBe(true);
    const latest = [...server.state.invoices.values()].map((i) => i.updatedAt).sort().at(-1)!;
    const recent = await conformingGet(bearer, `/invoices?updatedSince=${encodeURIComponent(latest)}&limit=100`, 'InvoicePage');
    expect(recent.data.every((i: { updatedAt: string }) => i.updatedAt >= latest)).toBe(true);
    expect(recent.data.length).toBeGreaterThan(0);
  });

  it('refuses unknown query parameters and a limit above 100', async () => {
    const bearer = await token(server);
    expect((await call(server, 'GET', '/invoices?updated_since=2025-01-01T00:00:00Z', { token: bearer })).status).toBe(400);
    expect((await call(server, 'GET', '/invoices?limit=101', { token: bearer })).status).toBe(400);
  });
});
