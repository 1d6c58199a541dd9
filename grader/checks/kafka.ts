import { Kafka, logLevel, type Admin } from 'kafkajs';

/**
 * What scenarios need from a Kafka broker, through the protocol only (kafkajs), so a lab
 * grades the same against the embedded broker and a real Kafka.
 */

/** A kafkajs client for a scenario: quiet, named so the broker's view shows who is who. */
export function scenarioKafka(bootstrapServers: string): Kafka {
  return new Kafka({ clientId: 'lab-scenario', brokers: bootstrapServers.split(','), logLevel: logLevel.NOTHING });
}

/**
 * A lab's records carry the seeded time of its story (a bank feed on a morning in January), not
 * the time of the run. A real Kafka deletes records older than its retention (7 days unless set
 * otherwise) at every retention check: the first one 30 s after it starts, then every 5 minutes,
 * so a grading on real Kafka would lose its records mid-run, now and then. The embedded broker
 * keeps records for ever; this topic setting makes any Kafka do the same for a lab's topics.
 */
const KEEP_EVERY_RECORD = [{ name: 'retention.ms', value: '-1' }];

/** Creates those of a lab's topics that do not exist yet, each keeping its records for ever, and waits for their leaders. */
export async function createLabTopics(admin: Admin, topics: Array<{ topic: string; numPartitions: number }>): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter(({ topic }) => !existing.has(topic));
  if (missing.length === 0) return;
  await admin.createTopics({
    topics: missing.map((topic) => ({ ...topic, replicationFactor: 1, configEntries: KEEP_EVERY_RECORD })),
    waitForLeaders: true,
  });
}

export interface PartitionLag {
  partition: number;
  /** Next offset the group will read; null when it never committed. */
  committed: number | null;
  end: number;
}

/** Where a consumer group stands on each partition of a topic. */
export async function groupLag(admin: Admin, groupId: string, topic: string): Promise<PartitionLag[]> {
  const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
  const commits = new Map((committed[0]?.partitions ?? []).map((entry) => [entry.partition, Number(entry.offset)]));
  return ends
    .map((entry) => {
      const offset = commits.get(entry.partition);
      // Negative offsets are what an admin reset to earliest/latest commits: not a position yet.
      return { partition: entry.partition, committed: offset === undefined || offset < 0 ? null : offset, end: Number(entry.high) };
    })
    .sort((a, b) => a.partition - b.partition);
}

/** Messages the group has yet to commit, over all partitions. */
export function totalLag(partitions: PartitionLag[]): number {
  return partitions.reduce((sum, entry) => sum + (entry.end - (entry.committed ?? 0)), 0);
}
