import type { ParseArgsConfig } from 'node:util';
import type { ProviderName } from '../../environment/environment.ts';
import { EXTERNAL_DEFAULTS, EXTERNAL_VARIABLES, externalAddresses, type ExternalAddresses } from '../../environment/external.ts';
import { PROVIDERS } from '../../environment/index.ts';
import { environmentFactory, type StartEnvironment } from '../../grading/environment-factory.ts';
import { UsageError } from '../command.ts';

/** `--env` and the external provider's addresses, shared by `lab check` and `lab grade`. */
export const ENVIRONMENT_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  env: { type: 'string' },
  'crm-url': { type: 'string' },
  'erp-url': { type: 'string' },
  'partner-url': { type: 'string' },
  'kafka-brokers': { type: 'string' },
  'database-url': { type: 'string' },
  'trainee-database-url': { type: 'string' },
  'admin-token': { type: 'string' },
};

const ADDRESS_FLAGS: Record<string, keyof ExternalAddresses> = {
  'crm-url': 'crm',
  'erp-url': 'erp',
  'partner-url': 'partner',
  'kafka-brokers': 'kafkaBrokers',
  'database-url': 'databaseUrl',
  'trainee-database-url': 'traineeDatabaseUrl',
  'admin-token': 'adminToken',
};

export const ENVIRONMENT_HELP = `  --env <provider>    where the services run: embedded (default, in this process), docker
                      (containers, see docs/docker.md) or external (already running, e.g.
                      docker compose up; its data is reset for the run)
  --crm-url --erp-url --partner-url --kafka-brokers --database-url (superuser)
  --trainee-database-url --admin-token <value>
                      --env external only; default $${EXTERNAL_VARIABLES.crm} etc., else npm start's
                      and compose's addresses (${EXTERNAL_DEFAULTS.crm}, …)`;

/** The environment the options choose; undefined means the default (embedded). */
export function environmentFrom(values: Record<string, unknown>): StartEnvironment | undefined {
  const provider = values.env ?? 'embedded';
  if (!PROVIDERS.includes(provider as ProviderName)) throw new UsageError(`--env must be one of ${PROVIDERS.join(', ')} (got "${String(provider)}")`);
  const flags: Partial<ExternalAddresses> = {};
  for (const [flag, key] of Object.entries(ADDRESS_FLAGS)) {
    const value = values[flag];
    if (typeof value !== 'string') continue;
    if (provider !== 'external') throw new UsageError(`--${flag} belongs to --env external`);
    flags[key] = value;
  }
  if (provider === 'embedded') return undefined;
  return environmentFactory(provider as ProviderName, provider === 'external' ? externalAddresses(flags) : undefined);
}
