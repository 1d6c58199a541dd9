import { createRandom, type Random } from '../../mock-systems/platform/random.ts';
import type { Scenario, ScenarioContext } from '../checks/scenario.ts';
import type { LabEnvironment } from '../environment/environment.ts';
import type { Lab } from '../labs/catalogue.ts';
import { loadScenario } from '../labs/load-scenario.ts';
import { defaultStartEnvironment, type StartEnvironment } from './environment-factory.ts';

/** A lab's environment, started and set up for one seed: what `lab start` shows a trainee. */
export interface LabSession {
  lab: Lab;
  seed: number;
  env: LabEnvironment;
  scenario: Scenario;
  context: ScenarioContext;
  /** What the scenario's setup returned. */
  setup: unknown;
  stop(): Promise<void>;
}

export interface PrepareOptions {
  seed: number;
  startEnvironment?: StartEnvironment;
}

/** Scenario streams are prefixed so they never share draws with the mock systems' own streams. */
export function scenarioRandom(lab: Lab, seed: number): (stream: string) => Random {
  return (stream) => createRandom(seed, `scenario:${lab.id}:${stream}`);
}

/**
 * Starts the lab's services with the seed and runs the scenario's setup (seed data, fault
 * plan). On any failure the environment is stopped before the error propagates.
 */
export async function prepareLabEnvironment(lab: Lab, options: PrepareOptions): Promise<LabSession> {
  const scenario = await loadScenario(lab);
  const start = options.startEnvironment ?? defaultStartEnvironment;
  const env = await start({ services: lab.manifest.services, seed: options.seed });
  const context: ScenarioContext = { seed: options.seed, lab: lab.manifest, env, random: scenarioRandom(lab, options.seed) };
  try {
    const setup = scenario.setup ? await scenario.setup(context) : undefined;
    return { lab, seed: options.seed, env, scenario, context, setup, stop: () => env.stop() };
  } catch (error) {
    await env.stop().catch(() => {});
    throw new ScenarioError('setup', error);
  }
}

/** The lab's own code (setup, drive) failed: a grader error, never the trainee's. */
export class ScenarioError extends Error {
  constructor(
    readonly phase: 'setup' | 'drive',
    readonly original: unknown,
  ) {
    super(`scenario ${phase} failed: ${original instanceof Error ? original.message : String(original)}`);
    this.name = 'ScenarioError';
  }
}
