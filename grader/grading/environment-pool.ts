import type { LabEnvironment } from '../environment/environment.ts';
import { untilGroupCoordinatorServes } from '../environment/kafka-readiness.ts';
import type { StartEnvironment } from './environment-factory.ts';
import { prepareRestore, type EnvironmentRestorer } from './environment-restore.ts';

/** Environments started once and handed out again, each time put back the way a fresh one starts. */
export interface EnvironmentPool {
  start: StartEnvironment;
  /** Stops every environment the pool started. */
  dispose(): Promise<void>;
}

interface Held {
  environment: LabEnvironment;
  restorer: EnvironmentRestorer;
}

/**
 * For loops that grade the project's own submissions many times (`lab validate`: the reference,
 * the starter and every mutant; the docker parity test): starting the services is a large part of
 * a grading's cost (the mock systems compile their contracts and generate their data, PostgreSQL
 * runs initdb), so each set of services is started once per grading in flight and restored
 * before every grading (environment-restore.ts: mock systems reset to the seed with no faults,
 * every topic and group deleted, the lab database copied back from its pristine template).
 *
 * Never for strangers' code: `lab grade`, also with --batch, gives every submission a fresh
 * environment, so nothing one candidate's run leaves behind can reach another's.
 */
export function environmentPool(startFresh: StartEnvironment): EnvironmentPool {
  const idle = new Map<string, Held[]>();
  const live = new Set<Held>();
  const starting = new Set<Promise<unknown>>();

  const startOne = async (options: Parameters<StartEnvironment>[0]): Promise<Held> => {
    const environment = await startFresh(options);
    try {
      const held = { environment, restorer: await prepareRestore(environment) };
      live.add(held);
      return held;
    } catch (error) {
      await environment.stop().catch(() => undefined);
      throw error;
    }
  };

  const stopOne = async (held: Held) => {
    live.delete(held);
    await held.restorer.dispose().catch(() => undefined);
    await held.environment.stop().catch(() => undefined);
  };

  const start: StartEnvironment = async (options) => {
    const key = [...options.services].sort().join(',');
    let held = idle.get(key)?.pop();
    if (!held) {
      const pending = startOne(options);
      starting.add(pending);
      held = await pending.finally(() => starting.delete(pending));
    }
    let restored: LabEnvironment;
    try {
      restored = await held.restorer.restore(options.seed);
      // Deleting every group moves real Kafka's offsets coordinator; the first fetch after it can
      // fail with NOT_COORDINATOR, which a fresh environment never shows a scenario either.
      if (restored.kafkaBootstrapServers) await untilGroupCoordinatorServes(restored.kafkaBootstrapServers);
    } catch (error) {
      await stopOne(held);
      throw error;
    }
    const returned = held;
    let released = false;
    return {
      ...restored,
      async stop() {
        if (released) return;
        released = true;
        idle.set(key, [...(idle.get(key) ?? []), returned]);
      },
    };
  };

  return {
    start,
    async dispose() {
      await Promise.allSettled(starting);
      idle.clear();
      await Promise.all([...live].map(stopOne));
    },
  };
}
