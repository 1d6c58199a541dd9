import type { StartEnvironment } from '../../grading/environment-factory.ts';
import { prepareRestore, type EnvironmentRestorer } from '../../grading/environment-restore.ts';
import type { LabEnvironment } from '../environment.ts';
import { untilGroupCoordinatorServes } from '../kafka-readiness.ts';
import { startDockerEnvironment, type DockerEnvironment } from './index.ts';

/** Docker environments started once and handed out again, each time put back the way a fresh one starts. */
export interface ReusedDockerEnvironments {
  start: StartEnvironment;
  /** Stops every environment it started. */
  dispose(): Promise<void>;
}

interface Held {
  environment: DockerEnvironment;
  restorer: EnvironmentRestorer;
  inUse: boolean;
}

/**
 * For a loop that grades many submissions of a lab on containers (the parity test over every
 * mutant): a docker grading spends most of its time starting the JVM of Kafka, initdb and the mock
 * systems' Node, so the services of one set are started once and restored before each grading,
 * as the embedded provider's setup-only pass does (environment-restore.ts: mock systems reset to
 * the seed with no faults, every topic and group deleted, the lab database copied back from its
 * pristine template). What a restore does not undo is a mock system's clock moved forward; every
 * scenario reads times from that same clock, so a later grading sees only time that has passed.
 *
 * `lab grade --env docker` never reuses: each run starts containers of its own and removes them.
 * One grading at a time per set of services: start() refuses while the last one has not stopped.
 */
export function reusedDockerEnvironments(): ReusedDockerEnvironments {
  const held = new Map<string, Promise<Held>>();

  const start: StartEnvironment = async ({ services, seed }) => {
    const key = [...services].sort().join(',');
    let entry = held.get(key);
    if (!entry) {
      entry = startDockerEnvironment({ seed, services }).then(async (environment) => ({ environment, restorer: await prepareRestore(environment), inUse: false }));
      held.set(key, entry);
    }
    const current = await entry;
    if (current.inUse) throw new Error(`the reused docker environment for ${key} is still in use by another grading`);
    current.inUse = true;
    try {
      const restored = await current.restorer.restore(seed);
      // Deleting every group moves the offsets topic's coordinator; the first fetch after it can
      // fail with NOT_COORDINATOR, which a fresh environment never shows a scenario either.
      if (restored.kafkaBootstrapServers) await untilGroupCoordinatorServes(restored.kafkaBootstrapServers);
      const submission = current.environment.submission!;
      const environment: LabEnvironment = {
        ...restored,
        submission: { launch: submission.launch, variables: { ...submission.variables, LAB_SEED: String(seed) } },
        async stop() {
          current.inUse = false;
        },
      };
      return environment;
    } catch (error) {
      current.inUse = false;
      throw error;
    }
  };

  return {
    start,
    async dispose() {
      const entries = await Promise.allSettled(held.values());
      held.clear();
      await Promise.all(
        entries.flatMap((entry) =>
          entry.status === 'fulfilled' ? [entry.value.restorer.dispose().catch(() => undefined).then(() => entry.value.environment.stop())] : [],
        ),
      );
    },
  };
}
