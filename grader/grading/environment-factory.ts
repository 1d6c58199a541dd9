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
 * The default: no services → an empty environment; otherwise the environment module's
 * `startEnvironment` (embedded provider unless configured otherwise), loaded only when needed.
 */
export const defaultStartEnvironment: StartEnvironment = async ({ services, seed }) => {
  if (services.length === 0) return emptyEnvironment(seed);
  const modulePath = new URL('../environment/index.ts', import.meta.url);
  let module: { startEnvironment?: StartEnvironment };
  try {
    module = (await import(modulePath.href)) as typeof module;
  } catch (error) {
    throw new Error(`the lab environment is not available (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof module.startEnvironment !== 'function') {
    throw new Error('grader/environment/index.ts does not export startEnvironment({ services, seed })');
  }
  return module.startEnvironment({ services, seed });
};
