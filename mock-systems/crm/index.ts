import { fileURLToPath } from 'node:url';
import type { MockSystem, SystemConfig } from '../platform/operation.ts';
import { requireApiKey } from '../platform/api-key.ts';
import { generateCrmData } from './data.ts';
import { crmHandlers, type CrmState } from './handlers.ts';

export type { CrmState } from './handlers.ts';

export const CRM_DEFAULT_API_KEY = 'crm-dev-key';

export function createCrmState(config: Pick<SystemConfig, 'seed' | 'size'>): CrmState {
  const { accounts, contacts } = generateCrmData({ seed: config.seed, size: config.size });
  return {
    accounts,
    contacts,
    accountsById: new Map(accounts.map((account) => [account.id, account])),
    contactsById: new Map(contacts.map((contact) => [contact.id, contact])),
  };
}

export const crm: MockSystem<CrmState> = {
  name: 'crm',
  title: 'Mock CRM',
  contractPath: fileURLToPath(new URL('./openapi.yaml', import.meta.url)),
  defaults: { credentials: { apiKey: CRM_DEFAULT_API_KEY }, settings: {} },
  createState: (config) => createCrmState(config),
  authorize: (request, _state, context) => requireApiKey(request, context.config.credentials.apiKey),
  handlers: crmHandlers,
  snapshot: (state) => ({ accounts: state.accounts, contacts: state.contacts }),
  entityOf: (request) => request.params.contactId ?? request.params.accountId,
};

export default crm;
