import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedEnvironment, type EmbeddedEnvironment } from '../../grader/environment/embedded.ts';
import { CRM_DEFAULT_API_KEY } from '../../mock-systems/crm/index.ts';
import { PARTNER_DEFAULT_API_KEY } from '../../mock-systems/partner/index.ts';

/**
 * A graded run's services take credentials drawn for that run: a submission that finds another
 * run's services on the machine cannot log in to them with the documented ones.
 */
describe('an embedded environment with private credentials (graded runs)', () => {
  let env: EmbeddedEnvironment;
  beforeAll(async () => {
    env = await startEmbeddedEnvironment({ seed: 3, services: ['crm', 'erp', 'partner'], ports: 'ephemeral', privateCredentials: true });
  }, 60_000);
  afterAll(() => env.stop());

  it('hands the submission credentials of its own, not the documented ones', () => {
    expect(env.variables.CRM_API_KEY).not.toBe(CRM_DEFAULT_API_KEY);
    expect(env.variables.PARTNER_API_KEY).not.toBe(PARTNER_DEFAULT_API_KEY);
    expect(env.variables.ERP_CLIENT_SECRET).not.toBe('lab-secret');
    expect(env.variables.ERP_CLIENT_ID).toBe('lab-client');
  });

  it('refuses the documented credentials and accepts the drawn ones', async () => {
    const contacts = (apiKey: string) => fetch(`${env.variables.CRM_URL}/contacts`, { headers: { 'X-API-Key': apiKey } }).then((response) => response.status);
    expect(await contacts(CRM_DEFAULT_API_KEY)).toBe(401);
    expect(await contacts(env.variables.CRM_API_KEY!)).toBe(200);
    const token = (secret: string) =>
      fetch(`${env.variables.ERP_URL}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'lab-client', client_secret: secret }),
      }).then((response) => response.status);
    expect(await token('lab-secret')).toBe(401);
    expect(await token(env.variables.ERP_CLIENT_SECRET!)).toBe(200);
  });
});
