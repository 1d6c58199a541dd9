import { createClock, type Clock } from './clock.ts';
import { loadContract, type Contract } from './contract.ts';
import { FaultEngine, type FaultRuleInput } from './faults.ts';
import { Journal } from './journal.ts';
import type { MockSystem, OperationContext, SystemConfig } from './operation.ts';
import { createRandom } from './random.ts';

/**
 * One running mock system without a transport: its contract, configuration, seeded state,
 * clock, journal and fault rules. The HTTP server and the msw adapter both wrap one of these,
 * so a system started either way begins from the same state and behaves the same.
 */

export const DEFAULT_SEED = 1;
export const DEFAULT_SIZE = 50;

export interface MockRuntimeOptions {
  seed?: number;
  /** Number of primary records the system generates. */
  size?: number;
  credentials?: Record<string, string>;
  settings?: Record<string, unknown>;
  /** Fault rules installed at start; defaults to the system's own `defaultFaults`. */
  faults?: FaultRuleInput[];
  /**
   * Leave out everyday misbehaviour: no default faults, and the system's `quietSettings` (the
   * partner's rate limit off). Explicit `faults` and `settings` still win.
   */
  quiet?: boolean;
  journalLimit?: number;
}

export interface MockRuntime<State> {
  system: MockSystem<State>;
  contract: Contract;
  config: SystemConfig;
  context: OperationContext;
  readonly state: State;
  journal: Journal;
  faults: FaultEngine;
  clock: Clock;
  /** Regenerates the seeded state and clears journal and faults (the start faults and settings come back). */
  reset(options?: { seed?: number; size?: number }): void;
  /** Changes settings of the running system; throws a RangeError naming what is allowed. */
  updateSettings(changes: Record<string, unknown>): Record<string, unknown>;
}

export function createMockRuntime<State>(system: MockSystem<State>, options: MockRuntimeOptions = {}): MockRuntime<State> {
  const contract = loadContract(system.contractPath);
  const missing = contract.operations.filter((operation) => !system.handlers[operation.operationId]);
  if (missing.length > 0) {
    throw new Error(`${system.name}: no handler for ${missing.map((operation) => operation.operationId).join(', ')}`);
  }

  const config: SystemConfig = {
    seed: options.seed ?? DEFAULT_SEED,
    size: options.size ?? DEFAULT_SIZE,
    credentials: { ...system.defaults.credentials, ...options.credentials },
    settings: { ...system.defaults.settings, ...(options.quiet ? system.quietSettings : {}), ...options.settings },
  };
  const startSettings = { ...config.settings };
  const startFaults = options.faults ?? (options.quiet ? [] : system.defaultFaults) ?? [];
  const clock = createClock();
  const journal = new Journal(options.journalLimit);
  const faults = new FaultEngine(config.seed);
  const createState = () => system.createState(config, (stream) => createRandom(config.seed, `${system.name}:${stream}`));
  let state = createState();
  const installStartFaults = () => startFaults.forEach((rule) => faults.add(rule));
  installStartFaults();

  return {
    system,
    contract,
    config,
    context: { now: () => clock.now(), config },
    get state() {
      return state;
    },
    journal,
    faults,
    clock,
    reset(resetOptions = {}) {
      config.seed = resetOptions.seed ?? config.seed;
      config.size = resetOptions.size ?? config.size;
      config.settings = { ...startSettings };
      clock.reset();
      state = createState();
      journal.clear();
      faults.clear(config.seed);
      installStartFaults();
    },
    updateSettings(changes) {
      const live = system.liveSettings ?? [];
      const refused = Object.keys(changes).filter((name) => !live.includes(name));
      if (refused.length > 0) {
        throw new RangeError(`${system.name} cannot change ${refused.join(', ')} while it runs; it can change ${live.join(', ') || 'no setting'}`);
      }
      const settings = { ...config.settings, ...changes };
      system.applySettings?.(state, settings);
      config.settings = settings;
      return { ...settings };
    },
  };
}
