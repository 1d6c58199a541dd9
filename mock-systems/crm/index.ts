import { timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { MockSystem, OperationRequest, OperationResponse, SystemConfig } from '../platform/operation.ts';
import { problem } from '../platform/problem.ts';
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

/** 401 unless the `X-API-Key` header carries the configured key. */
export function requireApiKey(request: OperationRequest, expected: string | undefined): OperationResponse | undefined {
  const given = request.headers['x-api-key'];
  if (given === undefined || given === '') {
    return problem(401, 'missing-api-key', 'API key required', 'Send your API key in the X-API-Key header.');
  }
  if (expected === undefined || !sameSecret(given, expected)) {
    return problem(401, 'invalid-api-key', 'Invalid API key', 'The X-API-Key header does not carry a valid key for this system.');
  }
  return undefined;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
