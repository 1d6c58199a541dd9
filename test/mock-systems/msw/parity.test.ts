import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { crm } from '../../../mock-systems/crm/index.ts';
import { erp } from '../../../mock-systems/erp/index.ts';
import { generatePartnerData } from '../../../mock-systems/partner/data.ts';
import { partner } from '../../../mock-systems/partner/index.ts';
import { createMswHandlers } from '../../../mock-systems/platform/msw.ts';
import type { MockSystem } from '../../../mock-systems/platform/operation.ts';
import { startMockServer, type MockServerOptions } from '../../../mock-systems/platform/server.ts';

/**
 * The msw adapter and the HTTP server must be the same mock: for one seed and one sequence of
 * requests, every status, content type, Retry-After and body must be identical byte for byte.
 * Date is frozen so timestamps written by handlers (createdAt, bookedAt) agree too.
 */

interface Step {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Reads a value from an earlier answer into later steps (a token, a created id). */
  remember?: (body: any, memory: Record<string, string>) => void;
}

type Steps = (memory: Record<string, string>) => Step[];

interface Answer {
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  allow: string | null;
  body: string;
}

const SEED = 11;
const SIZE = 25;
const json = { 'content-type': 'application/json' };

const mswServer = setupServer();
beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-03-02T10:00:00.000Z'));
  mswServer.listen({ onUnhandledRequest: 'bypass' });
});
afterEach(() => mswServer.resetHandlers());
afterAll(() => {
  mswServer.close();
  vi.useRealTimers();
});

async function play(baseUrl: string, steps: Steps): Promise<Answer[]> {
  const memory: Record<string, string> = {};
  const answers: Answer[] = [];
  // Steps are built lazily so later ones can use what earlier answers returned.
  for (let index = 0; ; index++) {
    const step = steps(memory)[index];
    if (!step) break;
    const response = await fetch(baseUrl + step.path, { method: step.method, headers: step.headers ?? {}, ...(step.body === undefined ? {} : { body: step.body }) });
    const body = await response.text();
    answers.push({
      status: response.status,
      contentType: response.headers.get('content-type'),
      retryAfter: response.headers.get('retry-after'),
      allow: response.headers.get('allow'),
      body,
    });
    if (step.remember && body) step.remember(JSON.parse(body), memory);
  }
  return answers;
}

async function compare<State>(system: MockSystem<State>, steps: Steps, options: Pick<MockServerOptions, 'settings' | 'faults'> = {}) {
  const http = await startMockServer(system, { port: 0, seed: SEED, size: SIZE, faults: [], ...options });
  try {
    const baseUrl = `http://${system.name}.test`;
    const mock = createMswHandlers(system, { baseUrl, seed: SEED, size: SIZE, faults: [], ...options });
    mswServer.use(...mock.handlers);
    const overHttp = await play(http.url, steps);
    const inProcess = await play(baseUrl, steps);
    expect(inProcess).toEqual(overHttp);
    expect(overHttp.length).toBeGreaterThan(3);
    // The journals agree on what was asked and answered.
    const summary = (entries: Array<{ method: string; path: string; operationId?: string; status?: number; fault?: string }>) =>
      entries.map(({ method, path, operationId, status, fault }) => ({ method, path, operationId, status, fault }));
    expect(summary(mock.journal.list())).toEqual(summary(http.journal.list()));
    return overHttp;
  } finally {
    await http.close();
  }
}

describe('msw and HTTP serve identical answers', () => {
  it('CRM: pages, one record, errors', async () => {
    const answers = await compare(crm, (memory) => [
      { method: 'GET', path: '/contacts?limit=7', headers: { 'x-api-key': 'crm-dev-key' }, remember: (body, m) => void (m.cursor = body.page.nextCursor) },
      { method: 'GET', path: `/contacts?limit=7&cursor=${encodeURIComponent(memory.cursor ?? '')}`, headers: { 'x-api-key': 'crm-dev-key' } },
      { method: 'GET', path: '/accounts?limit=3', headers: { 'x-api-key': 'crm-dev-key' }, remember: (body, m) => void (m.account = body.data[0].id) },
      { method: 'GET', path: `/accounts/${memory.account ?? 'none'}`, headers: { 'x-api-key': 'crm-dev-key' } },
      { method: 'GET', path: '/contacts?limit=7&updated_since=2020-01-01', headers: { 'x-api-key': 'crm-dev-key' } },
      { method: 'GET', path: '/contacts', headers: { 'x-api-key': 'wrong' } },
      { method: 'GET', path: '/contacts/CON-999999', headers: { 'x-api-key': 'crm-dev-key' } },
      { method: 'POST', path: '/contacts', headers: { 'x-api-key': 'crm-dev-key', ...json }, body: '{}' },
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 400, 401, 404, 405]);
  });

  it('ERP: token, idempotent create, replay, contract and auth errors, malformed JSON', async () => {
    const bearer = (memory: Record<string, string>) => ({ authorization: `Bearer ${memory.token ?? ''}` });
    const customer = JSON.stringify({ externalRef: 'CON-800001', name: 'Ada Example', email: 'ada@example.com', country: 'DE' });
    const answers = await compare(erp, (memory) => [
      {
        method: 'POST',
        path: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=lab-client&client_secret=lab-secret',
        remember: (body, m) => void (m.token = body.access_token),
      },
      { method: 'GET', path: '/customers?limit=5', headers: bearer(memory) },
      { method: 'POST', path: '/customers', headers: { ...bearer(memory), ...json, 'idempotency-key': 'parity-1' }, body: customer, remember: (body, m) => void (m.customer = body.id) },
      { method: 'POST', path: '/customers', headers: { ...bearer(memory), ...json, 'idempotency-key': 'parity-1' }, body: customer },
      { method: 'GET', path: `/customers/${memory.customer ?? 'none'}`, headers: bearer(memory) },
      { method: 'POST', path: '/customers', headers: { ...bearer(memory), ...json, 'idempotency-key': 'parity-2' }, body: '{"externalRef":"x","typo":1}' },
      { method: 'POST', path: '/customers', headers: { ...bearer(memory), ...json, 'idempotency-key': 'parity-3' }, body: '{"externalRef":' },
      { method: 'GET', path: '/customers' },
      { method: 'GET', path: '/no-such-thing', headers: bearer(memory) },
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 201, 201, 200, 400, 400, 401, 404]);
  });

  it('partner: booking, tracking, a refused order, an injected 503 with Retry-After', async () => {
    const { orders, planted } = generatePartnerData({ seed: SEED, size: SIZE });
    const refused = new Set(planted.invalid.map((entry) => entry.reference));
    const good = orders.find((order) => !refused.has(order.reference))!;
    const bad = orders.find((order) => refused.has(order.reference))!;
    const key = { 'x-api-key': 'partner-dev-key' };
    const answers = await compare(
      partner,
      (memory) => [
        { method: 'POST', path: '/shipments', headers: { ...key, ...json }, body: JSON.stringify(good), remember: (body, m) => void (m.shipment = body.id) },
        { method: 'GET', path: `/shipments/${memory.shipment ?? 'none'}/tracking`, headers: key },
        { method: 'GET', path: `/shipments?reference=${good.reference}`, headers: key },
        { method: 'POST', path: '/shipments', headers: { ...key, ...json }, body: JSON.stringify(bad) },
        { method: 'GET', path: '/shipments?limit=2', headers: key },
      ],
      {
        settings: { rateLimitPerSecond: 0 },
        faults: [{ id: 'list-503', match: { operationId: 'listShipments' }, trigger: { calls: [2] }, action: { type: 'status', status: 503, retryAfterSeconds: 2 } }],
      },
    );
    expect(answers.map((answer) => answer.status)).toEqual([201, 200, 200, 422, 503]);
    expect(answers[4]!.retryAfter).toBe('2');
  });
});
