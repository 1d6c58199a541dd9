import type { LabEnvironment, ProviderName, ServiceName } from './environment.ts';
import type { ExternalAddresses } from './external.ts';

export type { LabEnvironment, MockSystemAdmin, ServiceName, ProviderName } from './environment.ts';

export const PROVIDERS: readonly ProviderName[] = ['embedded', 'docker', 'external'];

export interface StartEnvironmentOptions {
  seed: number;
  services: ServiceName[];
  /** Default: embedded. */
  provider?: ProviderName;
  /** For the external provider: where the services are (default: `npm start`'s and compose's addresses). */
  addresses?: ExternalAddresses;
}

/**
 * The environment a graded run gets: only the services the lab needs, fresh, with no faults but
 * the ones its scenario scripts. Each provider is loaded only when chosen (the docker one loads
 * Testcontainers, the embedded one every mock system and the broker).
 */
export async function startEnvironment(options: StartEnvironmentOptions): Promise<LabEnvironment> {
  const { seed, services } = options;
  switch (options.provider ?? 'embedded') {
    case 'embedded': {
      const { startEmbeddedEnvironment } = await import('./embedded.ts');
      return startEmbeddedEnvironment({ seed, services, ports: 'ephemeral', defaultFaults: false, privateCredentials: true });
    }
    case 'docker': {
      const { startDockerEnvironment } = await import('./docker/index.ts');
      return startDockerEnvironment({ seed, services });
    }
    case 'external': {
      const { externalAddresses, startExternalEnvironment } = await import('./external.ts');
      return startExternalEnvironment({ seed, services, addresses: options.addresses ?? externalAddresses() });
    }
  }
}
