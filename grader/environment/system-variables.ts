import { MOCK_SYSTEMS, type MockSystemName } from '../../mock-systems/index.ts';
import type { SubmissionEnvironment } from './variables.ts';

/**
 * The variables a submission gets for one mock system at `url`. Providers that run the systems
 * out of process (docker, external) start them with the systems' default credentials, so those
 * are what the submission is given.
 */
export function mockSystemVariables(name: MockSystemName, url: string): SubmissionEnvironment {
  const credentials = MOCK_SYSTEMS[name].defaults.credentials as Record<string, string | undefined>;
  switch (name) {
    case 'crm':
      return { CRM_URL: url, CRM_API_KEY: credentials.apiKey! };
    case 'erp':
      return { ERP_URL: url, ERP_CLIENT_ID: credentials.clientId!, ERP_CLIENT_SECRET: credentials.clientSecret! };
    case 'partner':
      return { PARTNER_URL: url, PARTNER_API_KEY: credentials.apiKey! };
  }
}
