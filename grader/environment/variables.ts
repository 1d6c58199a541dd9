/**
 * The environment a submission sees: the same names on every provider (embedded, docker,
 * external) and for every lab. A submission gets these and nothing else.
 */
export const SUBMISSION_VARIABLES = {
  LAB_SEED: 'Seed of this run; the same seed gives the same data and faults.',
  CRM_URL: 'Base URL of the CRM API.',
  CRM_API_KEY: 'API key for the CRM (header X-API-Key).',
  ERP_URL: 'Base URL of the ERP API (token endpoint: $ERP_URL/oauth/token).',
  ERP_CLIENT_ID: 'OAuth2 client id for the ERP (client-credentials grant).',
  ERP_CLIENT_SECRET: 'OAuth2 client secret for the ERP.',
  PARTNER_URL: 'Base URL of the logistics partner API.',
  PARTNER_API_KEY: 'API key for the partner (header X-API-Key).',
  KAFKA_BROKERS: 'Kafka bootstrap servers, comma separated host:port.',
  DATABASE_URL: 'PostgreSQL connection URL.',
} as const;

export type SubmissionVariable = keyof typeof SUBMISSION_VARIABLES;
export type SubmissionEnvironment = Partial<Record<SubmissionVariable, string>>;

/** Variables that hold secrets: masked when printed, never logged. */
export const SECRET_VARIABLES: ReadonlySet<SubmissionVariable> = new Set([
  'CRM_API_KEY',
  'ERP_CLIENT_SECRET',
  'PARTNER_API_KEY',
  'DATABASE_URL',
]);

/**
 * The TCP addresses the variables name (service URLs, Kafka's bootstrap servers, the database):
 * where the submission may connect. `localhost` is 127.0.0.1, as the services listen there.
 */
export function serviceAddresses(variables: SubmissionEnvironment): Array<{ host: string; port: number }> {
  const addresses: Array<{ host: string; port: number }> = [];
  const add = (host: string, port: string | number) => {
    const bare = host.replace(/^\[|\]$/g, '');
    const number = Number(port);
    if (bare && Number.isInteger(number) && number > 0) addresses.push({ host: bare === 'localhost' ? '127.0.0.1' : bare, port: number });
  };
  for (const name of ['CRM_URL', 'ERP_URL', 'PARTNER_URL', 'DATABASE_URL'] as const) {
    const value = variables[name];
    if (!value) continue;
    try {
      const url = new URL(value);
      add(url.hostname, url.port || DEFAULT_PORTS[url.protocol] || '');
    } catch {
      // not a URL: nothing to allow
    }
  }
  for (const server of variables.KAFKA_BROKERS?.split(',') ?? []) {
    const match = /^\s*(\[[^\]]+\]|[^:\s]+):(\d+)\s*$/.exec(server);
    if (match) add(match[1]!, match[2]!);
  }
  return addresses;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443, 'postgres:': 5432, 'postgresql:': 5432 };
