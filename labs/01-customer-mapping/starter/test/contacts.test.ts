/**
 * An example unit test: your code talks to the CRM through the generated client, and msw
 * answers in-process with the CRM's own behaviour and seeded data. No server, no network.
 * Run it with: npx vitest run <this folder>
 */
import { Configuration, ContactsApi } from '@integration-lab/clients/crm';
import { createMswHandlers, crm } from '@integration-lab/clients/mocks';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const CRM_URL = 'http://crm.test';
const crmMock = createMswHandlers(crm, { baseUrl: CRM_URL, seed: 1, size: 30 });
const server = setupServer(...crmMock.handlers);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => crmMock.reset());
afterAll(() => server.close());

describe('reading contacts from the CRM', () => {
  const contacts = new ContactsApi(new Configuration({ basePath: CRM_URL, apiKey: crmMock.config.credentials.apiKey }));

  it('gets a page of contacts through the generated client', async () => {
    const page = await contacts.listContacts({ limit: 10 });
    expect(page.data).toHaveLength(10);
    expect(page.page.nextCursor).toBeTruthy();
    // The mock keeps a journal, so a test can also check what your code sent.
    expect(crmMock.journal.count({ operationId: 'listContacts' })).toBe(1);
  });

  // Next: test your mapping rules the same way, e.g. that every legacy date format in the
  // brief becomes an ISO date, and that each reject reason is reported.
  it.todo('maps every legacy date format to YYYY-MM-DD');
});
