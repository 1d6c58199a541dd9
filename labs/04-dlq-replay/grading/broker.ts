import { Partitioners, type Admin } from 'kafkajs';
import { createLabTopics, groupLag, scenarioKafka, type PartitionLag } from '../../../grader/checks/kafka.ts';
import { readTopics, type TopicRecord } from '../../../grader/checks/topic-reader.ts';
import type { PlannedMessage } from './stream.ts';
import { timestampAt } from './stream.ts';

/**
 * What the scenario does on the broker, through the Kafka protocol only (kafkajs admin,
 * producer and short-lived reader consumers), so the lab grades the same on any Kafka.
 */

export const TOPICS = { payments: 'payments', dlq: 'payments.dlq', parked: 'payments.parked' } as const;
export const POSTER_GROUP = 'payments-poster';
export const PARTITIONS = 3;

/** Where a produced message landed. */
export interface Coordinates {
  partition: number;
  offset: string;
  timestamp: string;
}

/** A record read back from a topic; header values as UTF-8 text. */
export type ReadRecord = TopicRecord;

export { totalLag, type PartitionLag } from '../../../grader/checks/kafka.ts';

export interface ScenarioBroker {
  createTopics(): Promise<void>;
  /** Produces the stream in order; returns each message's coordinates. */
  produce(messages: PlannedMessage[]): Promise<Coordinates[]>;
  lag(groupId: string, topic: string): Promise<PartitionLag[]>;
  /** Partition → end offset (nothing when the topic does not exist): how much was ever written. */
  endOffsets(topic: string): Promise<Map<number, number>>;
  /** Every record of `topics` (grader/checks/topic-reader.ts: throws UnreadableTopicsError for records past its limits). */
  read(topics: string[]): Promise<ReadRecord[]>;
  close(): Promise<void>;
}

export async function connectBroker(bootstrapServers: string): Promise<ScenarioBroker> {
  const kafka = scenarioKafka(bootstrapServers);
  const admin: Admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await admin.connect();
  let producerConnected = false;

  const existingTopics = async () => new Set(await admin.listTopics());

  return {
    createTopics: () =>
      createLabTopics(admin, [
        { topic: TOPICS.payments, numPartitions: PARTITIONS },
        { topic: TOPICS.dlq, numPartitions: PARTITIONS },
        { topic: TOPICS.parked, numPartitions: 1 },
      ]),

    async produce(messages) {
      if (!producerConnected) {
        await producer.connect();
        producerConnected = true;
      }
      // One send keeps the list's order within each partition; offsets follow from each partition's base offset.
      const records = messages.map((message, index) => ({
        key: message.key,
        partition: message.partition,
        value: message.value,
        headers: { 'content-type': 'application/json', 'event-type': 'PaymentReceived' },
        timestamp: String(timestampAt(index)),
      }));
      const metadata = await producer.send({ topic: TOPICS.payments, acks: -1, messages: records });
      const next = new Map(metadata.map((entry) => [entry.partition, BigInt(entry.baseOffset ?? '0')]));
      return records.map((record) => {
        const offset = next.get(record.partition)!;
        next.set(record.partition, offset + 1n);
        return { partition: record.partition, offset: offset.toString(), timestamp: record.timestamp };
      });
    },

    lag: (groupId, topic) => groupLag(admin, groupId, topic),

    async endOffsets(topic) {
      if (!(await existingTopics()).has(topic)) return new Map();
      return new Map((await admin.fetchTopicOffsets(topic)).map((entry) => [entry.partition, Number(entry.high)]));
    },

    read: (topics) => readTopics(bootstrapServers, topics),

    async close() {
      await Promise.allSettled([producerConnected ? producer.disconnect() : Promise.resolve(), admin.disconnect()]);
    },
  };
}
