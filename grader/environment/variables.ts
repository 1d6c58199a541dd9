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
