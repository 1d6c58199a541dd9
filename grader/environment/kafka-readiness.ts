import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';

/** A broker back to empty: every consumer group, then every topic but Kafka's own (`__…`). */
export async function emptyBroker(bootstrapServers: string): Promise<void> {
  const kafka = new Kafka({ clientId: 'lab-environment', brokers: bootstrapServers.split(',').map((broker) => broker.trim()), logLevel: logLevel.NOTHING, retry: { retries: 2 } });
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Groups first: their committed offsets refer to the topics.
    const { groups } = await admin.listGroups();
    if (groups.length > 0) await admin.deleteGroups(groups.map((group) => group.groupId));
    const topics = (await admin.listTopics()).filter((topic) => !topic.startsWith('__'));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
}

/**
 * A real Kafka is up ("Kafka Server started", its port open) before its group coordinator can
 * answer: the offsets topic is created on first use and its leaders elected, and until then an
 * offset fetch fails with NOT_COORDINATOR. The embedded broker answers at once, so a scenario that
 * reads a group's offsets first thing would fail only on real Kafka; an environment is ready once
 * a fetch succeeds.
 */
export async function untilGroupCoordinatorServes(bootstrapServers: string): Promise<void> {
  const admin = new Kafka({ clientId: 'lab-environment', brokers: bootstrapServers.split(',').map((broker) => broker.trim()), logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
  const deadline = Date.now() + 60_000;
  try {
    await admin.connect();
    for (;;) {
      try {
        await admin.fetchOffsets({ groupId: 'integration-lab-readiness', topics: [] });
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`Kafka's group coordinator did not answer within 60 s: ${(error as Error).message}`);
        await sleep(100);
      }
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
