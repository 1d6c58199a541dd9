import pg from 'pg';
import type { MockSystemName } from '../../mock-systems/index.ts';
import { createAdminClient } from '../../mock-systems/platform/admin-client.ts';
import type { LabEnvironment, MockSystemAdmin, ServiceName } from './environment.ts';
import { emptyBroker, untilGroupCoordinatorServes } from './kafka-readiness.ts';
import { TRAINEE } from './postgres.ts';
import { mockSystemVariables } from './system-variables.ts';
import type { SubmissionEnvironment } from './variables.ts';

/** Where services already running are (e.g. `docker compose up`), and the admin API's token. */
export interface ExternalAddresses {
  crm: string;
  erp: string;
  partner: string;
  kafkaBrokers: string;
  /** Superuser URL on the lab database, for scenarios and checks. */
  databaseUrl: string;
  /** What the submission gets as DATABASE_URL. */
  traineeDatabaseUrl: string;
  adminToken: string;
}

/** The variable each address is read from when no flag gives it. */
export const EXTERNAL_VARIABLES: Record<keyof ExternalAddresses, string> = {
  crm: 'LAB_CRM_URL',
  erp: 'LAB_ERP_URL',
  partner: 'LAB_PARTNER_URL',
  kafkaBrokers: 'LAB_KAFKA_BROKERS',
  databaseUrl: 'LAB_DATABASE_URL',
  traineeDatabaseUrl: 'LAB_TRAINEE_DATABASE_URL',
  adminToken: 'LAB_ADMIN_TOKEN',
};

/** What `npm start` and docker-compose.yml use: the same ports and credentials on both. */
export const EXTERNAL_DEFAULTS: ExternalAddresses = {
  crm: 'http://127.0.0.1:4101',
  erp: 'http://127.0.0.1:4102',
  partner: 'http://127.0.0.1:4103',
  kafkaBrokers: '127.0.0.1:19092',
  databaseUrl: 'postgres://postgres:lab-admin@127.0.0.1:15432/lab',
  traineeDatabaseUrl: `postgres://${TRAINEE.user}:${TRAINEE.password}@127.0.0.1:15432/${TRAINEE.database}`,
  // docker-compose.yml's token when LAB_ADMIN_TOKEN is unset (`npm start` prints its own).
  adminToken: 'lab-admin',
};

/** Flags first, then the environment's LAB_* variables, then the defaults. */
export function externalAddresses(flags: Partial<ExternalAddresses> = {}, environment: NodeJS.ProcessEnv = process.env): ExternalAddresses {
  const addresses = { ...EXTERNAL_DEFAULTS };
  for (const key of Object.keys(addresses) as Array<keyof ExternalAddresses>) {
    const value = flags[key] ?? environment[EXTERNAL_VARIABLES[key]]?.trim();
    if (value) addresses[key] = value;
  }
  return addresses;
}

export interface ExternalEnvironmentOptions {
  seed: number;
  services: ServiceName[];
  addresses: ExternalAddresses;
}

const MOCK_SYSTEM_NAMES: MockSystemName[] = ['crm', 'erp', 'partner'];

/**
 * Services someone else runs. A graded run needs a fresh environment, so start() makes them one:
 * each mock system the lab needs is reset to the run's seed with no faults but the scenario's,
 * Kafka loses every topic and consumer group (internal ones aside), and the lab database gets an
 * empty public schema. Do not point it at services whose data you want to keep.
 * stop() leaves the services running.
 */
export async function startExternalEnvironment(options: ExternalEnvironmentOptions): Promise<LabEnvironment> {
  const { addresses, seed, services } = options;
  const variables: SubmissionEnvironment = { LAB_SEED: String(seed) };
  const systems: Partial<Record<MockSystemName, MockSystemAdmin>> = {};

  for (const name of MOCK_SYSTEM_NAMES.filter((system) => services.includes(system))) {
    const url = addresses[name].replace(/\/$/, '');
    const admin = createAdminClient(url, addresses.adminToken);
    await reach(`the ${name} at ${url} (${EXTERNAL_VARIABLES[name]}, --${name}-url; admin token from --admin-token or LAB_ADMIN_TOKEN)`, async () => {
      await admin.reset({ seed });
      // reset() brings back the faults the system started with; a graded run has only its scenario's.
      await admin.clearFaults();
      await admin.clearRequests();
    });
    systems[name] = admin;
    Object.assign(variables, mockSystemVariables(name, url));
  }

  if (services.includes('kafka')) {
    await reach(`Kafka at ${addresses.kafkaBrokers} (LAB_KAFKA_BROKERS, --kafka-brokers)`, () => emptyKafka(addresses.kafkaBrokers));
    variables.KAFKA_BROKERS = addresses.kafkaBrokers;
  }

  if (services.includes('postgres')) {
    await reach('PostgreSQL at the superuser URL (LAB_DATABASE_URL, --database-url)', () => emptyDatabase(addresses.databaseUrl, addresses.traineeDatabaseUrl));
    variables.DATABASE_URL = addresses.traineeDatabaseUrl;
  }

  return {
    provider: 'external',
    seed,
    services,
    variables,
    systems,
    ...(services.includes('postgres') ? { databaseUrl: addresses.databaseUrl } : {}),
    ...(services.includes('kafka') ? { kafkaBootstrapServers: addresses.kafkaBrokers } : {}),
    async stop() {},
  };
}

async function reach(what: string, prepare: () => Promise<void>): Promise<void> {
  try {
    await prepare();
  } catch (error) {
    throw new Error(`--env external could not prepare ${what}: ${(error as Error).message}. Is it running (docker compose up -d, or npm start)?`);
  }
}

async function emptyKafka(brokers: string): Promise<void> {
  await emptyBroker(brokers);
  await untilGroupCoordinatorServes(brokers);
}

/** Drops the lab database's public schema and gives a fresh one to the trainee's role. */
async function emptyDatabase(superuserUrl: string, traineeUrl: string): Promise<void> {
  const trainee = new URL(traineeUrl).username || TRAINEE.user;
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    await client.query('DROP SCHEMA IF EXISTS public CASCADE');
    await client.query(`CREATE SCHEMA public AUTHORIZATION ${pg.escapeIdentifier(trainee)}`);
  } finally {
    await client.end();
  }
}
