import type { LabEnvironment, ProviderName, ServiceName } from '../environment/environment.ts';
import type { ExternalAddresses } from '../environment/external.ts';

/** Starts a fresh environment with these services and this seed. Injected so tests and providers can choose. */
export type StartEnvironment = (options: { services: ServiceName[]; seed: number }) => Promise<LabEnvironment>;

/** For labs that need no service: nothing runs, the submission sees only LAB_SEED. */
export function emptyEnvironment(seed: number, provider: ProviderName = 'embedded'): LabEnvironment {
  return {
    provider,
    seed,
    services: [],
    variables: { LAB_SEED: String(seed) },
    systems: {},
    async stop() {},
  };
}

/**
 * The environments of one provider (`lab grade --env`): no services → an empty environment;
 * otherwise the provider's, imported only when a lab needs services (the embedded one loads
 * every mock system, the docker one Testcontainers).
 */
export function environmentFactory(provider: ProviderName, addresses?: ExternalAddresses): StartEnvironment {
  return async ({ services, seed }) => {
    if (services.length === 0) return emptyEnvironment(seed, provider);
    const { startEnvironment } = await import('../environment/index.ts');
    return startEnvironment({ services, seed, provider, ...(addresses ? { addresses } : {}) });
  };
}

/** The default: the embedded provider. */
export const defaultStartEnvironment: StartEnvironment = environmentFactory('embedded');
