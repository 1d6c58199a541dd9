import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountsApi, Configuration, ContactsApi, ResponseError, type Contact } from '../../mock-systems/crm/client/index.ts';
import { CRM_DEFAULT_API_KEY, crm, type CrmState } from '../../mock-systems/crm/index.ts';
import { startMockServer, type MockServer } from '../../mock-systems/platform/server.ts';
import { expectProblem } from './problem.ts';

let server: MockServer<CrmState>;
let config: Configuration;

beforeAll(async () => {
  server = await startMockServer(crm, { port: 0, seed: 7, size: 45 });
  config = new Configuration({ basePath: server.url, apiKey: CRM_DEFAULT_API_KEY });
});
afterAll(() => server.close());

describe('generated CRM client against the mock server', () => {
  it('reads every contact through cursor pagination with the API key', async () => {
    const contacts = new ContactsApi(config);
    const seen: Contact[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await contacts.listContacts({ limit: 10, ...(cursor ? { cursor } : {}) });
      seen.push(...page.data);
      cursor = page.page.nextCursor ?? undefined;
      pages++;
    } while (cursor);

    expect(pages).toBeGreaterThan(1);
    expect(seen.map((contact) => contact.id)).toEqual(server.state.contacts.map((contact) => contact.id));
    // The client turns declared date-times into Dates; the CRM's free-text dates stay strings.
    expect(seen[0]!.updatedAt).toBeInstanceOf(Date);
    expect(typeof seen[0]!.birthDate).toBe('string');
    expect(server.journal.list({ operationId: 'listContacts' }).every((entry) => entry.headers['x-api-key'] === '***')).toBe(true);
  });

  it('fetches one account by id', async () => {
    const first = server.state.accounts[0]!;
    const account = await new AccountsApi(config).getAccount({ accountId: first.id });
    expect(account.id).toBe(first.id);
    expect(account.name).toBe(first.name);
  });

  it('surfaces a 401 problem when the API key is wrong', async () => {
    const contacts = new ContactsApi(new Configuration({ basePath: server.url, apiKey: 'not-the-key' }));
    await expect(contacts.listContacts()).rejects.toBeInstanceOf(ResponseError);
    const problem = await expectProblem(() => contacts.listContacts());
    expect(problem.status).toBe(401);
    expect(problem.contentType).toContain('application/problem+json');
    expect(problem.body.title).toBeTruthy();
  });

  it('surfaces contract violations with a pointer to the offending parameter', async () => {
    const problem = await expectProblem(() => new ContactsApi(config).listContacts({ limit: 100_000 }));
    expect(problem.status).toBe(400);
    expect(problem.body.type).toMatch(/contract-violation$/);
    expect(problem.body.errors?.map((error) => error.pointer)).toContain('/query/limit');
  });

  it('surfaces a 404 problem for an unknown contact', async () => {
    const problem = await expectProblem(() => new ContactsApi(config).getContact({ contactId: 'CON-999999' }));
    expect(problem.status).toBe(404);
    expect(problem.body.status).toBe(404);
  });
});
