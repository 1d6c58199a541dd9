import { crm } from './crm/index.ts';
import { erp } from './erp/index.ts';
import { partner } from './partner/index.ts';

/** The mock enterprise systems, by the name environments and labs use for them. */
export const MOCK_SYSTEMS = { crm, erp, partner } as const;

export type MockSystemName = keyof typeof MOCK_SYSTEMS;

/**
 * The environment variable that carries each credential of a system, as a client is given it
 * (`CRM_API_KEY`…) and as the standalone mock systems (serve.ts) take it to accept another one.
 */
export const CREDENTIAL_VARIABLES: Record<MockSystemName, Record<string, string>> = {
  crm: { apiKey: 'CRM_API_KEY' },
  erp: { clientId: 'ERP_CLIENT_ID', clientSecret: 'ERP_CLIENT_SECRET' },
  partner: { apiKey: 'PARTNER_API_KEY' },
};
