import { AccountsApi, Configuration, ContactsApi } from '@integration-lab/clients/crm';
import { readConfig } from './config.ts';
import { accountCountries, allContacts } from './crm-reader.ts';
import { ErpCustomers } from './erp-customers.ts';
import { ErpTokenProvider } from './erp-token.ts';
import { mapContact } from './mapping.ts';

/**
 * CRM contacts → ERP customers. stdout carries the rejects report (one JSON object per line:
 * contact id and reason, nothing personal); stderr carries the log, ids and counts only.
 */
async function main(): Promise<number> {
  const config = readConfig();
  const crm = new Configuration({ basePath: config.crmUrl, apiKey: config.crmApiKey });
  const erp = new ErpCustomers(config.erpUrl, new ErpTokenProvider(config.erpUrl, config.erpClientId, config.erpClientSecret));
  const countries = await accountCountries(new AccountsApi(crm));

  const counts = { read: 0, created: 0, alreadyPresent: 0, rejected: 0, refused: 0 };
  for await (const contact of allContacts(new ContactsApi(crm))) {
    counts.read++;
    const mapped = mapContact(contact, countries.get(contact.accountId) ?? null);
    if (!mapped.ok) {
      counts.rejected++;
      reject(contact.id, mapped.reason);
      continue;
    }
    const outcome = await erp.create(mapped.customer);
    switch (outcome.kind) {
      case 'created':
        counts.created++;
        log(`${contact.id}: created ${outcome.customerId}`);
        break;
      case 'already-present':
        counts.alreadyPresent++;
        log(`${contact.id}: already in the ERP as ${outcome.customerId}`);
        break;
      case 'refused':
        counts.refused++;
        reject(contact.id, `erp-refused-${outcome.problem}`);
        log(`${contact.id}: the ERP refused it with ${outcome.status} ${outcome.problem}`);
        break;
    }
  }
  log(`done: ${counts.read} contacts read, ${counts.created} created, ${counts.alreadyPresent} already present, ${counts.rejected} rejected by the mapping, ${counts.refused} refused by the ERP`);
  return counts.refused > 0 ? 1 : 0;
}

function reject(contactId: string, reason: string): void {
  process.stdout.write(`${JSON.stringify({ contactId, reason })}\n`);
}

function log(message: string): void {
  console.log(message);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Only the message: a client error's request could carry credentials.
    log(`customer mapping stopped: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
