import type { LabEnvironment, ServiceName } from './environment.ts';
import { startEmbeddedEnvironment } from './embedded.ts';

export type { LabEnvironment, MockSystemAdmin, ServiceName, ProviderName } from './environment.ts';

export interface StartEnvironmentOptions {
  seed: number;
  services: ServiceName[];
}

/**
 * The environment a graded run gets: only the services the lab needs, on free ports, with no
 * faults but the ones its scenario scripts. The embedded provider is the one built so far.
 */
export function startEnvironment(options: StartEnvironmentOptions): Promise<LabEnvironment> {
  return startEmbeddedEnvironment({ seed: options.seed, services: options.services, ports: 'ephemeral', defaultFaults: false });
}
