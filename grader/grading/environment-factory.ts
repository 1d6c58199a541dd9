import type { LabEnvironment, ServiceName } from '../environment/environment.ts';

/** Starts a fresh environment with these services and this seed. Injected so tests and providers can choose. */
export type StartEnvironment = (options: { services: ServiceName[]; seed: number }) => Promise<LabEnvironment>;

/** For labs that need no service: nothing runs, the submission sees only LAB_SEED. */
export function emptyEnvironment(seed: number): LabEnvironment {
  return {
    provider: 'embedded',
    seed,
    services: [],
    variables: { LAB_SEED: String(seed) },
    systems: {},
    async stop() {},
  };
}

/**
 * The default: no services → an empty environment; otherwise the embedded provider's
 * `startEnvironment`, imported only when a lab needs services (it loads every mock system).
 */
export const defaultStartEnvironment: StartEnvironment = async ({ services, seed }) => {
  if (services.length === 0) return emptyEnvironment(seed);
  const { startEnvironment } = await import('../environment/index.ts');
  return startEnvironment({ services, seed });
};
