/**
 * An example unit test: the ERP poster runs against msw, which answers in-process with the
 * ERP's own behaviour (OAuth2 tokens, Idempotency-Key rules, seeded invoices). No Kafka, no server.
 * Run it with: npx vitest run <this folder>
 */
import { createMswHandlers, erp } from '@integration-lab/clients/mocks';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ErpPaymentPoster } from '../src/erp.ts';

const ERP_URL = 'http://erp.test';
const erpMock = createMswHandlers(erp, { baseUrl: ERP_URL, seed: 1, size: 20 });
const server = setupServer(...erpMock.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => erpMock.reset());
afterAll(() => server.close());

describe('posting a payment to the ERP', () => {
  const { clientId, clientSecret } = erpMock.config.credentials;
  const poster = () => new ErpPaymentPoster({ url: ERP_URL, clientId: clientId!, clientSecret: clientSecret! });

  it('posts a payment against an open invoice, and the same key twice posts it once', async () => {
    const invoice = [...erpMock.state.invoices.values()].find((candidate) => candidate.status === 'open')!;
    const input = { invoiceId: invoice.id, amount: 100, currency: invoice.currency, reference: 'PAY-TEST-1' };

    const first = await poster().createPayment('payment-PAY-TEST-1', input);
    const again = await poster().createPayment('payment-PAY-TEST-1', input);

    expect(again.id).toBe(first.id);
    expect(erpMock.journal.count({ operationId: 'createPayment' })).toBe(2);
  });

  // Next: test how your consumer classifies the ERP's answers, e.g. that a 422 for an unknown
  // invoice sends the message to the DLQ while a 503 (erpMock.faults.add({ match: { operationId:
  // 'createPayment' }, trigger: { calls: [1] }, action: { type: 'status', status: 503 } })) is retried.
  it.todo('retries a 503 and parks a 422');
});
