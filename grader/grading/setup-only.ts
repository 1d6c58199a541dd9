import type { ScenarioContext } from '../checks/scenario.ts';
import type { Lab } from '../labs/catalogue.ts';
import { loadScenario } from '../labs/load-scenario.ts';
import { defaultStartEnvironment, type StartEnvironment } from './environment-factory.ts';
import { prepareRestore } from './environment-restore.ts';
import { scenarioRandom } from './lab-session.ts';

const SETUP_TIMEOUT_MS = 60_000;

export interface SetupFailure {
  seed: number;
  message: string;
}

export interface SetupValidation {
  lab: string;
  seeds: number[];
  failures: SetupFailure[];
  durationMs: number;
}

/**
 * Runs the scenario's setup alone (no submission, no checks) on every seed, to prove that
 * every seed a trainee can be given sets up. The services start once; between seeds they are
 * restored to what a fresh start gives (environment-restore.ts), which is what makes
 * hundreds of seeds affordable.
 */
export interface SetupOnlyOptions {
  startEnvironment?: StartEnvironment;
  /** Environments working through the seeds at once, each started once. */
  concurrency?: number;
  /** Called after each seed's setup, with how many seeds are done. */
  onSeed?: (done: number, total: number) => void;
}

export async function validateSetups(lab: Lab, seeds: number[], options: SetupOnlyOptions = {}): Promise<SetupValidation> {
  const started = performance.now();
  const scenario = await loadScenario(lab);
  const setup = scenario.setup;
  const failures = new Map<number, string>();
  if (setup && seeds.length > 0) {
    const start = options.startEnvironment ?? defaultStartEnvironment;
    let next = 0;
    let done = 0;
    const runSetup = async (seed: number, env: ScenarioContext['env']) => {
      const context: ScenarioContext = { seed, lab: lab.manifest, env, random: scenarioRandom(lab, seed) };
      await withTimeout(Promise.resolve().then(() => setup(context)), SETUP_TIMEOUT_MS).catch((error: unknown) => {
        failures.set(seed, error instanceof Error ? error.message : String(error));
      });
      options.onSeed?.(++done, seeds.length);
    };
    const worker = async () => {
      // A worker claims its first seed before it starts the services with that seed, so the
      // first setup sees the environment as started and every later one a restored one.
      const first = seeds[next++]!;
      const env = await start({ services: lab.manifest.services, seed: first });
      try {
        const restorer = await prepareRestore(env);
        try {
          await runSetup(first, env);
          while (next < seeds.length) {
            const seed = seeds[next++]!;
            await runSetup(seed, await restorer.restore(seed));
          }
        } finally {
          await restorer.dispose().catch(() => {});
        }
      } finally {
        await env.stop().catch(() => {});
      }
    };
    await Promise.all(Array.from({ length: Math.min(Math.max(1, options.concurrency ?? 1), seeds.length) }, worker));
  }
  return {
    lab: lab.id,
    seeds,
    failures: seeds.filter((seed) => failures.has(seed)).map((seed) => ({ seed, message: failures.get(seed)! })),
    durationMs: Math.round(performance.now() - started),
  };
}

/** A setup that hangs must not stall the pass: it is reported as that seed's failure. */
async function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`setup did not finish within ${ms / 1000} s`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
