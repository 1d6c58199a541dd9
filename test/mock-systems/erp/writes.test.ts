import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErpState } from '../../../mock-systems/erp/index.ts';
import type { MockServer } from '../../../mock-systems/platform/server.ts';
import { call, startErp, token } from './erp-client.ts';

let server: MockServer<ErpState>;
let bearer: string;
let keyCounter = 0;
const newKey = () => `test-key-${++keyCounter}`;

beforeAll(async () => {
  server = await startErp({ seed: 77, size: 30 });
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  server.reset();
  bearer = await token(server);
});

const post = (path: string, body: unknown, key: string = newKey()) => call(server, 'POST', path, { token: bearer, body, key });
const patch = (path: string, body: unknown, key: string = newKey()) => call(server, 'PATCH', path, { token: bearer, body, key });
const get = (path: string) => call(server, 'GET', path, { token: bearer });

const customerBody = (externalRef: string, extra: Record<string, unknown> = {}) => ({
  externalRef, name: 'Ada Example', email: 'ada@example.com', country: 'DE', birthDate: '1990-04-01', ...extra,
});
const activeCustomer = () => [...server.state.customers.values()].find((c) => c.status === 'active')!;

async function newOrder(currency = 'EUR', lines = [{ sku: 'SKU-1001', quantity: 2, unitPrice: 12900 }]) {
  const result = await post('/sales-orders', { customerId: activeCustomer().id, currency, lines });
  expect(result.status).toBe(201);
  return result.body;
}
async function newInvoice(currency = 'EUR') {
  const order = await newOrder(currency);
  const result = await post('/invoices', { orderId: order.id });
  expect(result.status).toBe(201);
  return result.body;
}

describe('Idempotency-Key', () => {
  it('is required on every write (400 from the contract)', async () => {
    const result = await call(server, 'POST', '/customers', { token: bearer, body: customerBody('CON-100001') });
    expect(result.status).toBe(400);
    expect(result.body.errors).toContainEqual({ pointer: '/headers/idempotency-key', message: 'is required' });
    const amend = await call(server, 'PATCH', '/invoices/INV-000001', { token: bearer, body: { amount: 10 } });
    expect(amend.status).toBe(400);
  });

  it('replays the first response for the same key and the same body (key order does not matter)', async () => {
    const key = newKey();
    const first = await post('/customers', customerBody('CON-100002'), key);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const { country, name, ...rest } = customerBody('CON-100002');
    const again = await post('/customers', { country, ...rest, name }, key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('location')).toBe(`/customers/${first.body.id}`);
    expect([...server.state.customers.values()].filter((c) => c.externalRef === 'CON-100002')).toHaveLength(1);
  });

  it('refuses the same key with another body: 422 idempotency-key-reused, nothing written', async () => {
    const key = newKey();
    await post('/customers', customerBody('CON-100003'), key);
    const before = server.state.customers.size;
    const reused = await post('/customers', customerBody('CON-100004'), key);
    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(reused.body.type).toMatch(/idempotency-key-reused$/);
    expect(reused.body.detail).toMatch(/new key/);
    expect(server.state.customers.size).toBe(before);
  });

  it('refuses the same key on another operation', async () => {
    const key = newKey();
    const order = await newOrder();
    expect((await post('/customers', customerBody('CON-100005'), key)).status).toBe(201);
    expect((await post('/invoices', { orderId: order.id }, key)).status).toBe(422);
  });

  it('does not remember refused writes, so the same key works once the cause is fixed', async () => {
    const key = newKey();
    const taken = activeCustomer().externalRef ?? (await post('/customers', customerBody('CON-100006'))).body.externalRef;
    expect((await post('/customers', customerBody(taken), key)).status).toBe(409);
    expect((await post('/customers', customerBody('CON-100007'), key)).status).toBe(201);
  });

  it('scopes keys per OAuth client', async () => {
    server.state.clients.set('second-client', 'second-secret');
    const other = await token(server, 'second-client', 'second-secret');
    const key = newKey();
    expect((await post('/customers', customerBody('CON-100008'), key)).status).toBe(201);
    const fromOther = await call(server, 'POST', '/customers', { token: other, key, body: customerBody('CON-100009') });
    expect(fromOther.status).toBe(201);
    expect(fromOther.headers.get('idempotent-replayed')).toBeNull();
  });

  it('makes a retry after a lost response safe: the write happened once, the retry gets its response', async () => {
    server.faults.add({ match: { operationId: 'createPayment' }, trigger: { calls: [1] }, action: { type: 'lost-response' } });
    const invoice = await newInvoice();
    const key = newKey();
    const body = { invoiceId: invoice.id, amount: invoice.amount, currency: 'EUR', reference: 'BNK-LOST-1' };
    await expect(post('/payments', body, key)).rejects.toThrow();
    const retry = await post('/payments', body, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect([...server.state.payments.values()].filter((p) => p.invoiceId === invoice.id)).toHaveLength(1);
    expect(server.state.invoices.get(invoice.id)!.status).toBe('paid');
  });

  it('shows remembered writes in the snapshot: key, operation, status, replays', async () => {
    const key = newKey();
    const created = await post('/customers', customerBody('CON-100010'), key);
    await post('/customers', customerBody('CON-100010'), key);
    const snapshot = (await (await fetch(`${server.url}/__admin/state`)).json()) as { idempotency: unknown[] };
    expect(snapshot.idempotency).toContainEqual(expect.objectContaining({
      clientId: 'lab-client', key, operationId: 'createCustomer', status: 201, resourceId: created.body.id, replays: 1,
    }));
  });
});

describe('customers', () => {
  it('creates a customer with the next id, default status and the clock time', async () => {
    const result = await post('/customers', customerBody('CON-200001'));
    expect(result.status).toBe(201);
    expect(result.body).toEqual({
      id: 'CUS-000031', externalRef: 'CON-200001', name: 'Ada Example', email: 'ada@example.com', country: 'DE',
      birthDate: '1990-04-01', status: 'active', createdAt: expect.any(String),
    });
    expect(Date.parse(result.body.createdAt)).toBeLessThanOrEqual(server.clock.now());
    expect((await get(`/customers/${result.body.id}`)).body).toEqual(result.body);
  });

  it('answers 409 with the existing id for a duplicate externalRef', async () => {
    const first = await post('/customers', customerBody('CON-200002'));
    const duplicate = await post('/customers', customerBody('CON-200002', { name: 'Someone Else' }));
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.existingId).toBe(first.body.id);
    expect(duplicate.body.type).toMatch(/duplicate-external-ref$/);
  });

  it('is strict: unknown fields, non-ISO countries and bad dates are refused with every violation listed', async () => {
    const result = await post('/customers', customerBody('CON-200003', { country: 'UK', birthDate: '01/04/1990', nickname: 'A' }));
    expect(result.status).toBe(400);
    const pointers = result.body.errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/body/country', '/body/birthDate', '/body/nickname']));
  });

  it('filters by externalRef, and 404s an unknown id', async () => {
    const seeded = [...server.state.customers.values()].find((c) => c.externalRef)!;
    const found = await get(`/customers?externalRef=${seeded.externalRef}`);
    expect(found.body.data.map((c: { id: string }) => c.id)).toEqual([seeded.id]);
    expect((await get('/customers/CUS-999999')).status).toBe(404);
  });
});

describe('sales orders', () => {
  it('computes line totals and the order total', async () => {
    const order = await newOrder('EUR', [{ sku: 'SKU-1001', quantity: 3, unitPrice: 1250 }, { sku: 'SKU-1003', quantity: 1, unitPrice: 999 }]);
    expect(order.lines.map((l: { lineTotal: number }) => l.lineTotal)).toEqual([3750, 999]);
    expect(order.total).toBe(4749);
    expect(order.status).toBe('open');
  });

  it('replays on the same key and refuses a reused key with another body', async () => {
    const key = newKey();
    const body = { customerId: activeCustomer().id, currency: 'GBP', lines: [{ sku: 'SKU-1002', quantity: 1, unitPrice: 100 }] };
    const first = await post('/sales-orders', body, key);
    const before = server.state.salesOrders.size;
    const again = await post('/sales-orders', body, key);
    expect([again.status, again.body, again.headers.get('idempotent-replayed')]).toEqual([201, first.body, 'true']);
    expect(server.state.salesOrders.size).toBe(before);
    const reused = await post('/sales-orders', { ...body, currency: 'EUR' }, key);
    expect(reused.status).toBe(422);
    expect(reused.body.type).toMatch(/idempotency-key-reused$/);
  });

  it('answers 422 for an unknown or inactive customer, 409 for a duplicate externalRef', async () => {
    const lines = [{ sku: 'SKU-1001', quantity: 1, unitPrice: 1 }];
    const unknown = await post('/sales-orders', { customerId: 'CUS-999999', currency: 'EUR', lines });
    expect(unknown.status).toBe(422);
    expect(unknown.body.type).toMatch(/unknown-customer$/);
    const inactive = await post('/customers', customerBody('CON-300001', { status: 'inactive' }));
    const refused = await post('/sales-orders', { customerId: inactive.body.id, currency: 'EUR', lines });
    expect(refused.status).toBe(422);
    expect(refused.body.type).toMatch(/customer-inactive$/);
    const body = { customerId: activeCustomer().id, externalRef: 'OPP-1', currency: 'EUR', lines };
    const first = await post('/sales-orders', body);
    const second = await post('/sales-orders', body);
    expect(second.status).toBe(409);
    expect(second.body.existingId).toBe(first.body.id);
  });

  it('refuses currencies outside the fixed list', async () => {
    const result = await post('/sales-orders', { customerId: activeCustomer().id, currency: 'JPY', lines: [{ sku: 'SKU-1001', quantity: 1, unitPrice: 1 }] });
    expect(result.status).toBe(400);
    expect(result.body.errors[0].pointer).toBe('/body/currency');
  });
});

describe('invoices', () => {
  it('invoices an order: copies customer, currency and lines; the order becomes invoiced', async () => {
    const order = await newOrder('CHF');
    const result = await post('/invoices', { orderId: order.id });
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({ orderId: order.id, customerId: order.customerId, currency: 'CHF', lines: order.lines, amount: order.total, amountPaid: 0, status: 'open' });
    expect((await get(`/sales-orders/${order.id}`)).body.status).toBe('invoiced');
    expect((await get(`/invoices?orderId=${order.id}`)).body.data).toEqual([result.body]);
  });

  it('replays, refuses key reuse, 409s a second invoice and 422s an unknown order', async () => {
    const order = await newOrder();
    const other = await newOrder();
    const key = newKey();
    const first = await post('/invoices', { orderId: order.id }, key);
    const again = await post('/invoices', { orderId: order.id }, key);
    expect([again.status, again.body, again.headers.get('idempotent-replayed')]).toEqual([201, first.body, 'true']);
    expect((await post('/invoices', { orderId: other.id }, key)).status).toBe(422);
    const second = await post('/invoices', { orderId: order.id });
    expect(second.status).toBe(409);
    expect(second.body.existingId).toBe(first.body.id);
    const unknown = await post('/invoices', { orderId: 'SO-999999' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.type).toMatch(/unknown-order$/);
  });

  it('amends the amount of an open invoice; a replay returns the first response even after later changes', async () => {
    const invoice = await newInvoice();
    const key = newKey();
    const amended = await patch(`/invoices/${invoice.id}`, { amount: 20000 }, key);
    expect(amended.status).toBe(200);
    expect(amended.body).toMatchObject({ amount: 20000, status: 'open', amendedAt: expect.any(String) });
    await patch(`/invoices/${invoice.id}`, { amount: 15000 });
    const replay = await patch(`/invoices/${invoice.id}`, { amount: 20000 }, key);
    expect(replay.body).toEqual(amended.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(server.state.invoices.get(invoice.id)!.amount).toBe(15000);
    expect((await patch(`/invoices/${invoice.id}`, { amount: 1 }, key)).status).toBe(422);
  });

  it('cancels an invoice without payments; then refuses any further change', async () => {
    const invoice = await newInvoice();
    const cancelled = await patch(`/invoices/${invoice.id}`, { status: 'cancelled' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(String) });
    const again = await patch(`/invoices/${invoice.id}`, { amount: 5 });
    expect(again.status).toBe(422);
    expect(again.body.type).toMatch(/invoice-not-open$/);
  });

  it('refuses to cancel a partly paid invoice or to amend below what was paid', async () => {
    const invoice = await newInvoice();
    await post('/payments', { invoiceId: invoice.id, amount: 10000, currency: 'EUR', reference: 'BNK-P1' });
    const cancel = await patch(`/invoices/${invoice.id}`, { status: 'cancelled' });
    expect(cancel.status).toBe(422);
    expect(cancel.body.type).toMatch(/invoice-has-payments$/);
    const below = await patch(`/invoices/${invoice.id}`, { amount: 9999 });
    expect(below.status).toBe(422);
    expect(below.body.type).toMatch(/amount-below-paid$/);
    const settle = await patch(`/invoices/${invoice.id}`, { amount: 10000 });
    expect(settle.body).toMatchObject({ status: 'paid', amount: 10000, amountPaid: 10000, paidAt: expect.any(String) });
  });

  it('refuses amount and status together, an empty change, and 404s an unknown invoice', async () => {
    const invoice = await newInvoice();
    expect((await patch(`/invoices/${invoice.id}`, { amount: 5, status: 'cancelled' })).status).toBe(422);
    expect((await patch(`/invoices/${invoice.id}`, {})).status).toBe(400);
    expect((await patch(`/invoices/${invoice.id}`, { status: 'paid' })).status).toBe(400);
    expect((await patch('/invoices/INV-999999', { amount: 5 })).status).toBe(404);
  });
});

describe('payments', () => {
  it('marks the invoice paid once the payments cover it', async () => {
    const invoice = await newInvoice();
    const first = await post('/payments', { invoiceId: invoice.id, amount: 5800, currency: 'EUR', reference: 'BNK-A', receivedAt: '2026-03-01T10:00:00Z' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ invoiceId: invoice.id, customerId: invoice.customerId, amount: 5800, receivedAt: '2026-03-01T10:00:00Z' });
    expect((await get(`/invoices/${invoice.id}`)).body).toMatchObject({ status: 'open', amountPaid: 5800 });
    await post('/payments', { invoiceId: invoice.id, amount: invoice.amount - 5800, currency: 'EUR', reference: 'BNK-B' });
    const paid = (await get(`/invoices/${invoice.id}`)).body;
    expect(paid).toMatchObject({ status: 'paid', amountPaid: invoice.amount, paidAt: expect.any(String) });
    expect((await get(`/payments?invoiceId=${invoice.id}`)).body.data).toHaveLength(2);
  });

  it('replays a payment without posting it twice; refuses the key with another amount', async () => {
    const invoice = await newInvoice();
    const key = newKey();
    const body = { invoiceId: invoice.id, amount: 100, currency: 'EUR', reference: 'BNK-R' };
    const first = await post('/payments', body, key);
    const again = await post('/payments', body, key);
    expect([again.status, again.body, again.headers.get('idempotent-replayed')]).toEqual([201, first.body, 'true']);
    expect(server.state.invoices.get(invoice.id)!.amountPaid).toBe(100);
    expect((await post('/payments', { ...body, amount: 200 }, key)).status).toBe(422);
    expect(server.state.invoices.get(invoice.id)!.amountPaid).toBe(100);
  });

  it.each([
    ['an unknown invoice', () => ({ invoiceId: 'INV-999999', amount: 1, currency: 'EUR', reference: 'X' }), 'unknown-invoice'],
  ])('answers 422 for %s', async (_, body, type) => {
    const result = await post('/payments', body());
    expect(result.status).toBe(422);
    expect(result.body.type).toMatch(new RegExp(`${type}$`));
  });

  it('answers 422 for a currency mismatch, an overpayment and a paid or cancelled invoice', async () => {
    const invoice = await newInvoice('SEK');
    const mismatch = await post('/payments', { invoiceId: invoice.id, amount: 1, currency: 'EUR', reference: 'X' });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.type).toMatch(/currency-mismatch$/);
    expect(mismatch.body.errors).toEqual([{ pointer: '/body/currency', message: 'must be SEK' }]);

    const over = await post('/payments', { invoiceId: invoice.id, amount: invoice.amount + 1, currency: 'SEK', reference: 'X' });
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ outstanding: invoice.amount });

    await post('/payments', { invoiceId: invoice.id, amount: invoice.amount, currency: 'SEK', reference: 'X' });
    const paid = await post('/payments', { invoiceId: invoice.id, amount: 1, currency: 'SEK', reference: 'X' });
    expect(paid.body.type).toMatch(/invoice-already-paid$/);

    const cancelled = await newInvoice();
    await patch(`/invoices/${cancelled.id}`, { status: 'cancelled' });
    const paymentsBefore = server.state.payments.size;
    const refused = await post('/payments', { invoiceId: cancelled.id, amount: 1, currency: 'EUR', reference: 'X' });
    expect(refused.status).toBe(422);
    expect(refused.body.type).toMatch(/invoice-not-open$/);
    expect(server.state.payments.size).toBe(paymentsBefore);
  });

  it('pays a seeded partially paid invoice off', async () => {
    const partial = [...server.state.invoices.values()].find((i) => i.status === 'open' && i.amountPaid > 0)!;
    const result = await post('/payments', { invoiceId: partial.id, amount: partial.amount - partial.amountPaid, currency: partial.currency, reference: 'BNK-REST' });
    expect(result.status).toBe(201);
    expect(result.body.id).toBe(`PAY-${String(server.state.payments.size).padStart(6, '0')}`);
    expect(server.state.invoices.get(partial.id)!.status).toBe('paid');
  });
});

describe('entity of a request (for fault rules)', () => {
  it('is the path id, the natural key in the body, or the list filter', async () => {
    const order = await newOrder();
    await post('/customers', customerBody('CON-400001'));
    await get('/customers/CUS-000001');
    await post('/invoices', { orderId: order.id });
    await get(`/invoices?orderId=${order.id}`);
    const entities = Object.fromEntries(server.journal.list({}).map((entry) => [`${entry.operationId} ${entry.path}`, entry.entity]));
    expect(entities).toMatchObject({
      'createCustomer /customers': 'CON-400001',
      'getCustomer /customers/CUS-000001': 'CUS-000001',
      'createInvoice /invoices': order.id,
      'listInvoices /invoices': order.id,
    });
  });

  it('lets a fault rule target one entity', async () => {
    server.faults.add({ match: { operationId: 'createCustomer', entity: 'CON-400002' }, action: { type: 'status', status: 503, retryAfterSeconds: 2 } });
    expect((await post('/customers', customerBody('CON-400003'))).status).toBe(201);
    const failed = await post('/customers', customerBody('CON-400002'));
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('2');
  });
});
