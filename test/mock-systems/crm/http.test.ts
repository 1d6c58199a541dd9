import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { crm, type CrmState } from '../../../mock-systems/crm/index.ts';
import { generateCrmData } from '../../../mock-systems/crm/data.ts';
import { startMockServer, type MockServer } from '../../../mock-systems/platform/server.ts';

const KEY = { 'x-api-key': 'crm-dev-key' };
let server: MockServer<CrmState>;

beforeAll(async () => {
  server = await startMockServer(crm, { port: 0, seed: 21, size: 60 });
});
afterAll(async () => {
  await server?.close();
});
beforeEach(() => server.reset({ seed: 21, size: 60 }));

async function get(path: string, headers: Record<string, string> = KEY) {
  const response = await fetch(server.url + path, { headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Follows nextCursor from the first page to the last, returning every record in order. */
async function readAll(path: string): Promise<Array<{ id: string }>> {
  const records: Array<{ id: string }> = [];
  const separator = path.includes('?') ? '&' : '?';
  let cursor: string | null = null;
  do {
    const { status, body } = await get(cursor ? `${path}${separator}cursor=${cursor}` : path);
    expect(status).toBe(200);
    records.push(...body.data);
    cursor = body.page.nextCursor;
  } while (cursor);
  return records;
}

describe('CRM auth', () => {
  it('refuses a missing or wrong X-API-Key with 401 problem+json', async () => {
    for (const headers of [{} as Record<string, string>, { 'x-api-key': 'wrong' }, { 'x-api-key': 'CRM-DEV-KEY' }]) {
      const { status, headers: responseHeaders, body } = await get('/contacts', headers);
      expect(status).toBe(401);
      expect(responseHeaders.get('content-type')).toBe('application/problem+json');
      expect(body).toMatchObject({ status: 401, title: expect.any(String) });
    }
  });

  it('accepts the key the server was configured with', async () => {
    const custom = await startMockServer(crm, { port: 0, size: 3, credentials: { apiKey: 'other-key' } });
    try {
      expect((await fetch(`${custom.url}/contacts`, { headers: KEY })).status).toBe(401);
      expect((await fetch(`${custom.url}/contacts`, { headers: { 'x-api-key': 'other-key' } })).status).toBe(200);
    } finally {
      await custom.close();
    }
  });
});

describe('CRM lists', () => {
  it('pages contacts 25 at a time by default and the pages add up to every contact, in id order', async () => {
    const first = await get('/contacts');
    expect(first.body.data).toHaveLength(25);
    expect(first.body.page).toEqual({ limit: 25, nextCursor: expect.any(String) });
    const all = await readAll('/contacts');
    expect(all).toEqual(server.state.contacts);
  });

  it('honours limit and reports the last page with a null cursor', async () => {
    const page = await get('/contacts?limit=100');
    expect(page.body.data).toHaveLength(60);
    expect(page.body.page).toEqual({ limit: 100, nextCursor: null });
    expect((await readAll('/accounts?limit=4')).map((a) => a.id)).toEqual(server.state.accounts.map((a) => a.id));
  });

  it('refuses a limit outside 1..100, an unknown parameter and a forged cursor with 400', async () => {
    expect((await get('/contacts?limit=0')).status).toBe(400);
    expect((await get('/contacts?limit=101')).status).toBe(400);
    expect((await get('/contacts?updated_since=2025-01-01T00:00:00Z')).status).toBe(400);
    const forged = await get('/contacts?cursor=CON-000010');
    expect(forged.status).toBe(400);
    expect(forged.body.errors).toEqual([{ pointer: '/query/cursor', message: expect.any(String) }]);
    // A cursor from the accounts list is not one the contacts list issued.
    const accountsPage = await get('/accounts?limit=1');
    expect((await get(`/contacts?cursor=${accountsPage.body.page.nextCursor}`)).status).toBe(400);
  });

  it('filters by updatedSince (inclusive) across pages', async () => {
    const { contacts } = generateCrmData({ seed: 21, size: 60 });
    const since = [...contacts].map((c) => c.updatedAt).sort()[30]!;
    const expected = contacts.filter((c) => c.updatedAt >= since).map((c) => c.id);
    const got = await readAll(`/contacts?limit=7&updatedSince=${encodeURIComponent(since)}`);
    expect(got.map((c) => c.id)).toEqual(expected);
    expect(got.map((c) => c.id)).toContain(contacts.find((c) => c.updatedAt === since)!.id);
    expect((await get('/contacts?updatedSince=yesterday')).status).toBe(400);
  });

  it('accepts updatedSince with an offset', async () => {
    const all = await readAll('/accounts?updatedSince=2025-06-01T02:00:00%2B02:00');
    expect(all.map((a) => a.id)).toEqual(
      server.state.accounts.filter((a) => Date.parse(a.updatedAt) >= Date.UTC(2025, 5, 1)).map((a) => a.id),
    );
  });

  it('filters contacts by account', async () => {
    const accountId = server.state.contacts[0]!.accountId;
    const got = await readAll(`/contacts?accountId=${accountId}&limit=2`);
    expect(got.length).toBeGreaterThan(0);
    expect(got).toEqual(server.state.contacts.filter((c) => c.accountId === accountId));
  });
});

describe('CRM single records', () => {
  it('gets a contact and an account by id', async () => {
    const contact = server.state.contacts[5]!;
    expect(await get(`/contacts/${contact.id}`)).toMatchObject({ status: 200, body: contact });
    const account = server.state.accounts[2]!;
    expect(await get(`/accounts/${account.id}`)).toMatchObject({ status: 200, body: account });
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    expect(await get('/contacts/CON-999999')).toMatchObject({ status: 404, body: { status: 404 } });
    expect(await get('/accounts/ACC-99999')).toMatchObject({ status: 404, body: { status: 404 } });
    expect((await get('/contacts/123')).status).toBe(400);
  });

  it('shows its records to graders at /__admin/state', async () => {
    const { status, body } = await get('/__admin/state', {});
    expect(status).toBe(200);
    expect(body).toEqual({ accounts: server.state.accounts, contacts: server.state.contacts });
  });
});
