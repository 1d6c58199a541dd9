import { AccountsApi, ContactsApi, type Contact } from '@integration-lab/clients/crm';

const PAGE_SIZE = 100;

/** Every contact, page by page, following the cursor until the CRM says there is no next page. */
export async function* allContacts(contacts: ContactsApi): AsyncGenerator<Contact> {
  let cursor: string | undefined;
  do {
    const page = await contacts.listContacts({ limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    yield* page.data;
    cursor = page.page.nextCursor ?? undefined;
  } while (cursor);
}

/** Account id → its free-text country: contacts without a country of their own live there. */
export async function accountCountries(accounts: AccountsApi): Promise<Map<string, string>> {
  const countries = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await accounts.listAccounts({ limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    for (const account of page.data) countries.set(account.id, account.country);
    cursor = page.page.nextCursor ?? undefined;
  } while (cursor);
  return countries;
}
