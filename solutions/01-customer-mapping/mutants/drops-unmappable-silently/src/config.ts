/** The settings this job reads from its environment; a missing one stops it before any call. */
export interface JobConfig {
  crmUrl: string;
  crmApiKey: string;
  erpUrl: string;
  erpClientId: string;
  erpClientSecret: string;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): JobConfig {
  const names = ['CRM_URL', 'CRM_API_KEY', 'ERP_URL', 'ERP_CLIENT_ID', 'ERP_CLIENT_SECRET'] as const;
  const missing = names.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`missing environment variables: ${missing.join(', ')} (lab start prints them)`);
  }
  return {
    crmUrl: env.CRM_URL!,
    crmApiKey: env.CRM_API_KEY!,
    erpUrl: env.ERP_URL!,
    erpClientId: env.ERP_CLIENT_ID!,
    erpClientSecret: env.ERP_CLIENT_SECRET!,
  };
}
