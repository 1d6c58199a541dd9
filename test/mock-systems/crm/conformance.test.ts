import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crm, type CrmState } from '../../../mock-systems/crm/index.ts';
import { startMockServer, type MockServer } from '../../../mock-systems/platform/server.ts';

/**
 * Every GET over every page, for many seeds: the platform answers 500
 * `response-contract-violation` when a handler leaves the contract, and we validate each
 * body against the contract ourselves as well.
 */
const KEY = { 'x-api-key': 'crm-dev-key' };
let server: MockServer<CrmState>;

beforeAll(async () => {
  server = await startMockServer(crm, { port: 0 });
});
afterAll(async () => {
  await server?.close();
});

async function conformingGet(path: string): Promise<any> {
  const response = await fetch(server.url + path, { headers: KEY });
  const body = await response.json();
  expect(response.status, `${path}: ${JSON.stringify(body)}`).toBe(200);
  const found = server.contract.match('GET', path.split('?')[0]!);
  if (!found || !('operation' in found)) throw new Error(`no operation for ${path}`);
  expect(found.operation.validateResponse(200, body), path).toEqual([]);
  return body;
}

describe('CRM responses conform to the contract', () => {
  it.each(Array.from({ length: 25 }, (_, i) => i * 7919 + 1))('seed %i', async (seed) => {
    server.reset({ seed, size: 45 });
    for (const list of ['/accounts', '/contacts']) {
      let cursor: string | null = null;
      do {
        const body: any = await conformingGet(`${list}?limit=20${cursor ? `&cursor=${cursor}` : ''}`);
        for (const record of body.data) await conformingGet(`${list}/${record.id}`);
        cursor = body.page.nextCursor;
      } while (cursor);
    }
  });
});
