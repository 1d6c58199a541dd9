import { Configuration as CrmConfiguration, ContactsApi } from '@integration-lab/clients/crm';
import { mapContact } from './mapping.ts';

/**
 * CRM contacts → ERP customers. Run it with the variables `lab start 01` prints:
 *   node --import tsx src/main.ts
 */
async function main(): Promise<void> {
  const crm = new CrmConfiguration({ basePath: required('CRM_URL'), apiKey: required('CRM_API_KEY') });
  const contacts = new ContactsApi(crm);

  // TODO: this is one page of contacts, not all of them.
  const page = await contacts.listContacts();
  for (const contact of page.data) {
    // TODO: contacts without a country take their account's (AccountsApi).
    const result = mapContact(contact, null);
    if (!result.ok) {
      // TODO: report the reject as the README asks.
      continue;
    }
    // TODO: create the customer in the ERP with CustomersApi from '@integration-lab/clients/erp':
    // a bearer token from AuthApi (ERP_URL, ERP_CLIENT_ID, ERP_CLIENT_SECRET) and an Idempotency-Key.
  }
  console.error(`read ${page.data.length} contacts`);
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; 'lab start 01' prints the variables to set`);
  return value;
}

main().catch((error: unknown) => {
  console.error(`customer mapping stopped: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
