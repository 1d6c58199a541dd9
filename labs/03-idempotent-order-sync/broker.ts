import { Partitioners, type Admin } from 'kafkajs';
import { createLabTopics, groupLag, scenarioKafka, type PartitionLag } from '../../grader/checks/kafka.ts';
import type { PlannedEvent } from './event-stream.ts';

/**
 * What the scenario does on the broker, through the Kafka protocol only (kafkajs admin and
 * producer), so the lab grades the same against the embedded broker and a real Kafka.
 */

export const TOPIC = 'orders';
export const GROUP_ID = 'invoice-sync';
export const PARTITIONS = 3;

export { totalLag, type PartitionLag } from '../../grader/checks/kafka.ts';

export interface Broker {
  createTopic(): Promise<void>;
  produce(events: PlannedEvent[]): Promise<void>;
  lag(): Promise<PartitionLag[]>;
  /** True when no consumer of the group is alive (all left, or their sessions expired). */
  groupIsEmpty(): Promise<boolean>;
  /**
   * Sets the group's committed offsets (the group must be empty), so those partitions are
   * delivered again from there. Reads them back and seeks once more if any is not where it was
   * told to be; a second miss is an error, not a run that replays what no other run does.
   */
  rewind(offsets: Array<{ partition: number; offset: number }>): Promise<void>;
  close(): Promise<void>;
}

/** The partition Kafka's default partitioner picks for a key, as any producer would. */
export function partitionOf(key: string): number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: PARTITIONS }, (_, partitionId) => ({ partitionId, leader: 1, replicas: [1], isr: [1], offlineReplicas: [], partitionErrorCode: 0 }));
  return partitioner({ topic: TOPIC, partitionMetadata, message: { key, value: null } });
}

export async function connectBroker(bootstrapServers: string): Promise<Broker> {
  const kafka = scenarioKafka(bootstrapServers);
  const admin: Admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await admin.connect();
  let producerConnected = false;

  return {
    createTopic: () => createLabTopics(admin, [{ topic: TOPIC, numPartitions: PARTITIONS }]),
    async produce(events) {
      if (events.length === 0) return;
      if (!producerConnected) {
        await producer.connect();
        producerConnected = true;
      }
      // One send keeps the order of the list within each partition.
      await producer.send({
        topic: TOPIC,
        acks: -1,
        messages: events.map(({ event }) => ({
          key: event.orderId,
          partition: partitionOf(event.orderId),
          value: JSON.stringify(event),
          headers: { 'content-type': 'application/json', 'event-type': event.type },
          timestamp: String(Date.parse(event.occurredAt)),
        })),
      });
    },
    lag: () => groupLag(admin, GROUP_ID, TOPIC),
    async groupIsEmpty() {
      const { groups } = await admin.describeGroups([GROUP_ID]);
      const group = groups[0];
      return !group || group.members.length === 0;
    },
    async rewind(offsets) {
      if (offsets.length === 0) return;
      let missed = offsets;
      for (let attempt = 1; missed.length > 0; attempt++) {
        await seekGroup(kafka, offsets);
        const committed = await groupLag(admin, GROUP_ID, TOPIC);
        const committedOf = (partition: number) => committed.find((entry) => entry.partition === partition)?.committed;
        missed = offsets.filter(({ partition, offset }) => committedOf(partition) !== offset);
        if (missed.length > 0 && attempt === SEEK_ATTEMPTS) {
          throw new Error(`the group's offsets were not set: ${missed.map(({ partition, offset }) => `p${partition} should be ${offset}, is ${committedOf(partition) ?? 'nothing'}`).join('; ')}`);
        }
      }
    },
    async close() {
      await Promise.allSettled([producerConnected ? producer.disconnect() : Promise.resolve(), admin.disconnect()]);
    },
  };
}

const SEEK_ATTEMPTS = 2;

/**
 * What admin.setOffsets does (join the group, seek, leave), with a short fetch wait so it takes
 * milliseconds instead of the default five seconds.
 */
async function seekGroup(kafka: ReturnType<typeof scenarioKafka>, offsets: Array<{ partition: number; offset: number }>): Promise<void> {
  const consumer = kafka.consumer({ groupId: GROUP_ID, maxWaitTimeInMs: 50, sessionTimeout: 6_000, rebalanceTimeout: 6_000, heartbeatInterval: 500 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.FETCH, () => resolve());
      consumer.run({ eachBatchAutoResolve: false, eachBatch: async () => undefined }).catch(reject);
      consumer.pause([{ topic: TOPIC }]);
      for (const { partition, offset } of offsets) consumer.seek({ topic: TOPIC, partition, offset: String(offset) });
    });
  } finally {
    await consumer.disconnect();
  }
}
