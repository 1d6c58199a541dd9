import { AuthApi, Configuration } from '../../mock-systems/erp/client/index.ts';
import type { LabEnvironment } from '../environment/environment.ts';

/**
 * The ERP's public API, signed in with the lab's client credentials, for a scenario that writes
 * records the way another system would (the shop at checkout, an onboarding team), so they obey
 * the ERP's own rules and get the ids a real write gets.
 */
export async function erpApiConfiguration(env: LabEnvironment): Promise<Configuration> {
  const { ERP_URL: basePath, ERP_CLIENT_ID: clientId, ERP_CLIENT_SECRET: clientSecret } = env.variables;
  if (!basePath || !clientId || !clientSecret) throw new Error('the ERP variables are missing; the lab needs the erp service (lab.yaml services)');
  const token = await new AuthApi(new Configuration({ basePath })).issueToken({ grantType: 'client_credentials', clientId, clientSecret });
  return new Configuration({ basePath, accessToken: `${token.tokenType} ${token.accessToken}` });
}
