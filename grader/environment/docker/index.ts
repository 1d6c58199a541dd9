import { randomBytes } from 'node:crypto';
import type { StartedNetwork } from 'testcontainers';
import type { MockSystemName } from '../../../mock-systems/index.ts';
import { createAdminClient } from '../../../mock-systems/platform/admin-client.ts';
import { newAdminToken } from '../../../mock-systems/platform/admin-token.ts';
import type { LabEnvironment, MockSystemAdmin, ServiceName } from '../environment.ts';
import { stopOnExitSignal } from '../exit-signals.ts';
import { drawnCredentials, mockSystemVariables } from '../system-variables.ts';
import type { SubmissionEnvironment } from '../variables.ts';
import { dockerImages } from './images.ts';
import { startKafkaContainer } from './kafka.ts';
import { startMockSystemsContainer } from './mock-systems.ts';
import { startPostgresContainer } from './postgres.ts';
import { submissionContainerLauncher } from './submission.ts';
import { createRunNetwork, dockerClient, removeLeftovers, removeRunResources, requireImages } from './runtime.ts';

export interface DockerEnvironmentOptions {
  seed: number;
  services: ServiceName[];
}

/** What the docker provider runs, beyond the LabEnvironment interface. */
export interface DockerEnvironment extends LabEnvironment {
  provider: 'docker';
  runId: string;
  /** The mock systems' admin token: the grader's, never in `variables`. */
  adminToken: string;
  /** The run's internal network: a submission container joins it and nothing else. */
  network: StartedNetwork;
  /** The variables as a container on the run's network must use them (aliases, not published ports). */
  internalVariables: SubmissionEnvironment;
}

const MOCK_SYSTEM_NAMES: MockSystemName[] = ['crm', 'erp', 'partner'];

/**
 * The lab's services as containers (Testcontainers), on a network of the run's own: the mock
 * systems in one container, a real Apache Kafka and a real PostgreSQL, each started only if the
 * lab needs it. The grader and its checks reach them through published ports on this machine;
 * the submission runs in a container of its own on the run's network (submission.ts).
 *
 * Cleanup is by label (Ryuk cannot run offline): stop() removes this run's containers and
 * network, also on Ctrl-C; leftovers of a grader that was killed are removed at the next start.
 */
export async function startDockerEnvironment(options: DockerEnvironmentOptions): Promise<DockerEnvironment> {
  const client = await dockerClient();
  const images = dockerImages();
  const systems = MOCK_SYSTEM_NAMES.filter((name) => options.services.includes(name));
  const wanted = [
    ...(systems.length > 0 ? [images.LAB_IMAGE_MOCK_SYSTEMS] : []),
    ...(options.services.includes('kafka') ? [images.LAB_IMAGE_KAFKA] : []),
    ...(options.services.includes('postgres') ? [images.LAB_IMAGE_POSTGRES] : []),
  ];
  await requireImages(client, [...wanted, images.LAB_IMAGE_SUBMISSION]);
  await removeLeftovers(client);

  const runId = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    // Once, whoever asks first (the grader's finally or a Ctrl-C).
    stopped ??= (async () => {
      unregister();
      await removeRunResources(client, runId);
    })();
    return stopped;
  };
  const unregister = stopOnExitSignal(stop);

  try {
    const network = await createRunNetwork(client, runId);
    const adminToken = newAdminToken();
    // Drawn per run, as the embedded provider does for graded runs: the documented credentials
    // open no run's services.
    const credentials = Object.fromEntries(systems.map((name) => [name, drawnCredentials(name)]));
    // Started side by side: Kafka's JVM takes the longest, the others finish inside its start.
    const [mocks, kafka, postgres] = await Promise.all([
      systems.length > 0
        ? named('the mock systems', startMockSystemsContainer({ image: images.LAB_IMAGE_MOCK_SYSTEMS, runId, network, systems, seed: options.seed, adminToken, credentials }))
        : undefined,
      options.services.includes('kafka') ? named('Kafka', startKafkaContainer({ image: images.LAB_IMAGE_KAFKA, runId, network })) : undefined,
      options.services.includes('postgres') ? named('PostgreSQL', startPostgresContainer({ image: images.LAB_IMAGE_POSTGRES, runId, network })) : undefined,
    ]);

    const variables: SubmissionEnvironment = { LAB_SEED: String(options.seed) };
    const internalVariables: SubmissionEnvironment = { LAB_SEED: String(options.seed) };
    const admins: Partial<Record<MockSystemName, MockSystemAdmin>> = {};
    for (const name of systems) {
      admins[name] = createAdminClient(mocks!.urls[name]!, adminToken);
      Object.assign(variables, mockSystemVariables(name, mocks!.urls[name]!, credentials[name]));
      Object.assign(internalVariables, mockSystemVariables(name, mocks!.internalUrls[name]!, credentials[name]));
    }
    if (kafka) {
      variables.KAFKA_BROKERS = kafka.bootstrapServers;
      internalVariables.KAFKA_BROKERS = kafka.internalBootstrapServers;
    }
    if (postgres) {
      variables.DATABASE_URL = postgres.traineeUrl;
      internalVariables.DATABASE_URL = postgres.internalTraineeUrl;
    }

    return {
      provider: 'docker',
      seed: options.seed,
      services: options.services,
      variables,
      internalVariables,
      systems: admins,
      runId,
      adminToken,
      network,
      ...(postgres ? { databaseUrl: postgres.adminUrl } : {}),
      ...(kafka ? { kafkaBootstrapServers: kafka.bootstrapServers } : {}),
      submission: {
        variables: internalVariables,
        launch: submissionContainerLauncher({ image: images.LAB_IMAGE_SUBMISSION, runId, networkName: network.getName() }),
      },
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** A failed start names the service, then Testcontainers' reason. */
function named<T>(service: string, start: Promise<T>): Promise<T> {
  return start.catch((error: Error) => {
    throw new Error(`The container of ${service} did not start (docker provider): ${error.message}`);
  });
}
