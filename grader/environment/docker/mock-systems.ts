import type { StartedNetwork, StartedTestContainer } from 'testcontainers';
import type { MockSystemName } from '../../../mock-systems/index.ts';
import { credentialVariables } from '../system-variables.ts';
import { loadTestcontainers, serviceContainer, WITHOUT_IMAGE_HEALTHCHECK } from './runtime.ts';

/** Ports inside the container, as `npm start` and docker-compose.yml use them. */
export const MOCK_SYSTEM_PORTS: Record<MockSystemName, number> = { crm: 4101, erp: 4102, partner: 4103 };

export interface StartedMockSystems {
  container: StartedTestContainer;
  /** From this machine (the grader and its checks): the published ports. */
  urls: Partial<Record<MockSystemName, string>>;
  /** From another container on the run's network. */
  internalUrls: Partial<Record<MockSystemName, string>>;
}

export interface MockSystemsOptions {
  image: string;
  runId: string;
  network: StartedNetwork;
  systems: MockSystemName[];
  seed: number;
  adminToken: string;
  /** The credentials each system accepts for this run (drawn per run: see index.ts). */
  credentials: Partial<Record<MockSystemName, Record<string, string>>>;
}

/** One container serves every mock system the lab needs (one Node process: cheaper than three). */
export async function startMockSystemsContainer(options: MockSystemsOptions): Promise<StartedMockSystems> {
  const { Wait } = await loadTestcontainers();
  const service = await serviceContainer(options.image, options.runId);
  const alias = 'mock-systems';
  const container = await service
    .withNetwork(options.network)
    .withNetworkAliases(alias)
    .withEnvironment({
      LAB_SYSTEMS: options.systems.join(','),
      LAB_SEED: String(options.seed),
      // Graded runs script their own faults, as on the embedded provider.
      LAB_DEFAULT_FAULTS: 'false',
      LAB_ADMIN_TOKEN: options.adminToken,
      ...Object.assign({}, ...options.systems.map((name) => credentialVariables(name, options.credentials[name]!))),
    })
    .withExposedPorts(...options.systems.map((name) => MOCK_SYSTEM_PORTS[name]))
    .withHealthCheck(WITHOUT_IMAGE_HEALTHCHECK)
    .withWaitStrategy(Wait.forLogMessage('mock systems ready'))
    .withStartupTimeout(120_000)
    .start();
  const urls: StartedMockSystems['urls'] = {};
  const internalUrls: StartedMockSystems['internalUrls'] = {};
  for (const name of options.systems) {
    urls[name] = `http://${container.getHost()}:${container.getMappedPort(MOCK_SYSTEM_PORTS[name])}`;
    internalUrls[name] = `http://${alias}:${MOCK_SYSTEM_PORTS[name]}`;
  }
  return { container, urls, internalUrls };
}
