import { randomBytes } from 'node:crypto';
import { MOCK_SYSTEMS, type MockSystemName } from '../../mock-systems/index.ts';
import { startKafkaBroker, type KafkaBroker } from '../../mock-systems/kafka/index.ts';
import { createAdminClient } from '../../mock-systems/platform/admin-client.ts';
import { newAdminToken } from '../../mock-systems/platform/admin-token.ts';
import { startMockServer, type MockServer } from '../../mock-systems/platform/server.ts';
import type { LabEnvironment, MockSystemAdmin, ServiceName } from './environment.ts';
import { stopOnExitSignal } from './exit-signals.ts';
import { startEmbeddedPostgres, type RunningPostgres } from './postgres.ts';
import { drawnCredentials, mockSystemVariables } from './system-variables.ts';
import type { SubmissionEnvironment } from './variables.ts';

export const ALL_SERVICES: ServiceName[] = ['crm', 'erp', 'partner', 'kafka', 'postgres'];

/** Stable ports for `lab start`, chosen to stay clear of the services' usual ports. */
export const DEFAULT_PORTS: Record<ServiceName, number> = { crm: 4101, erp: 4102, partner: 4103, kafka: 19092, postgres: 15432 };

export interface EmbeddedEnvironmentOptions {
  seed: number;
  services?: ServiceName[];
  /** `default`: the documented stable ports; `ephemeral`: free ports (grading, tests); or explicit ports. */
  ports?: 'default' | 'ephemeral' | Partial<Record<ServiceName, number>>;
  /** Records each mock system generates. */
  size?: number;
  /** Install each system's everyday faults (the partner's occasional 503s). Graders script their own. */
  defaultFaults?: boolean;
  /** Also turn off the everyday limits (the partner's rate limit): `npm start -- --no-faults`. Graded runs keep them. */
  quiet?: boolean;
  /** Keep PostgreSQL's data directory after stop. */
  keepData?: boolean;
  /** The mock systems' admin token; a fresh random one when absent. Never in `variables`. */
  adminToken?: string;
  /**
   * Draw the credentials a submission gets (the CRM's and the partner's API keys, the ERP's
   * client secret, the trainee's database password) instead of the documented ones: no run can
   * log in to another's services, even where nothing else stands between them.
   */
  privateCredentials?: boolean;
}

/** What the embedded provider runs, beyond the LabEnvironment interface (for `lab start`'s table). */
export interface EmbeddedEnvironment extends LabEnvironment {
  /** What `lab start` prints so a trainee can use the admin API; graded runs keep it to the grader. */
  adminToken: string;
  mockServers: Partial<Record<MockSystemName, MockServer<unknown>>>;
  postgres?: RunningPostgres;
  kafka?: KafkaBroker;
}

/** Starts every requested service in this process (PostgreSQL as a child process). */
export async function startEmbeddedEnvironment(options: EmbeddedEnvironmentOptions): Promise<EmbeddedEnvironment> {
  const services = options.services ?? ALL_SERVICES;
  const portOf = (service: ServiceName): number =>
    options.ports === 'ephemeral' ? 0
    : options.ports === undefined || options.ports === 'default' ? DEFAULT_PORTS[service]
    : (options.ports[service] ?? DEFAULT_PORTS[service]);

  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    unregister();
    // Reverse start order; keep going past a failure so nothing is orphaned.
    const failures: unknown[] = [];
    for (const stopOne of stops.splice(0).reverse()) await stopOne().catch((error: unknown) => failures.push(error));
    if (failures.length > 0) throw new AggregateError(failures, 'some services did not stop cleanly');
  };
  const unregister = stopOnExitSignal(stop);

  const adminToken = options.adminToken ?? newAdminToken();
  try {
    const variables: SubmissionEnvironment = { LAB_SEED: String(options.seed) };
    const mockServers: EmbeddedEnvironment['mockServers'] = {};
    const systems: Partial<Record<MockSystemName, MockSystemAdmin>> = {};

    for (const name of Object.keys(MOCK_SYSTEMS) as MockSystemName[]) {
      if (!services.includes(name)) continue;
      const system = MOCK_SYSTEMS[name] as unknown as Parameters<typeof startMockServer<unknown>>[0];
      const server = await startMockServer(system, {
        seed: options.seed,
        ...(options.size === undefined ? {} : { size: options.size }),
        port: portOf(name),
        ...(options.defaultFaults === false ? { faults: [] } : {}),
        ...(options.quiet ? { quiet: true } : {}),
        ...(options.privateCredentials ? { credentials: drawnCredentials(name) } : {}),
        adminToken,
      }).catch((error: Error) => {
        throw new Error(`The ${system.title} could not start on port ${portOf(name)}: ${error.message}${portInUseHint(error, name)}`);
      });
      stops.push(() => server.close());
      mockServers[name] = server;
      systems[name] = createAdminClient(server.url, adminToken);
      Object.assign(variables, mockSystemVariables(name, server.url, server.config.credentials));
    }

    let kafka: KafkaBroker | undefined;
    if (services.includes('kafka')) {
      kafka = await startKafkaBroker({ port: portOf('kafka') }).catch((error: Error) => {
        throw new Error(`The Kafka broker could not start on port ${portOf('kafka')}: ${error.message}${portInUseHint(error, 'kafka')}`);
      });
      const broker = kafka;
      stops.push(() => broker.close());
      variables.KAFKA_BROKERS = kafka.bootstrapServers;
    }

    let postgres: RunningPostgres | undefined;
    if (services.includes('postgres')) {
      postgres = await startEmbeddedPostgres({
        port: portOf('postgres'),
        ...(options.keepData ? { keepData: true } : {}),
        ...(options.privateCredentials ? { traineePassword: randomBytes(18).toString('base64url') } : {}),
      });
      const database = postgres;
      stops.push(() => database.stop());
      variables.DATABASE_URL = postgres.traineeUrl;
    }

    return {
      provider: 'embedded',
      seed: options.seed,
      services,
      variables,
      systems,
      mockServers,
      adminToken,
      ...(postgres ? { postgres, databaseUrl: postgres.adminUrl } : {}),
      ...(kafka ? { kafka, kafkaBootstrapServers: kafka.bootstrapServers } : {}),
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** A port held by another process (often a forgotten `lab start`) names both ways out. */
function portInUseHint(error: Error, service: ServiceName): string {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') return '';
  return `\nAnother process holds that port. Stop it, choose another with --${service}-port <n>, or let every service pick a free port with --ephemeral-ports.`;
}
