import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Admin } from 'kafkajs';

/** A broker back to empty: every consumer group, then every topic but Kafka's own (`__…`). */
export async function emptyBroker(bootstrapServers: string): Promise<void> {
  const kafka = new Kafka({ clientId: 'lab-environment', brokers: bootstrapServers.split(',').map((broker) => broker.trim()), logLevel: logLevel.NOTHING, retry: { retries: 2 } });
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Groups first: their committed offsets refer to the topics.
    await deleteEveryGroup(admin);
    const topics = (await admin.listTopics()).filter((topic) => !topic.startsWith('__'));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
}

/** A group still has members for up to their session timeout after a consumer was killed. */
const GROUP_EMPTY_WITHIN_MS = 60_000;

/**
 * Deletes every consumer group. Kafka refuses to delete a group that still has members
 * (NON_EMPTY_GROUP): a consumer killed without leaving stays a member until its session times
 * out, so the deletion is retried until every group is gone or the wait is over.
 */
async function deleteEveryGroup(admin: Admin): Promise<void> {
  const deadline = Date.now() + GROUP_EMPTY_WITHIN_MS;
  for (;;) {
    const { groups } = await admin.listGroups();
    if (groups.length === 0) return;
    try {
      await admin.deleteGroups(groups.map((group) => group.groupId));
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`consumer groups still had members after ${GROUP_EMPTY_WITHIN_MS / 1000} s: ${(error as Error).message}`);
      await sleep(500);
    }
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
