import { ConfigResourceTypes, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startCluster, uniqueName, type ConformanceCluster } from './cluster.ts';

describe('admin: records, configs and partition assignments', () => {
  let cluster: ConformanceCluster;
  let admin: Admin;

  beforeAll(async () => {
    cluster = await startCluster();
    admin = cluster.kafka().admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await cluster?.close();
  });

  async function newTopic(prefix: string, numPartitions = 1): Promise<string> {
    const topic = uniqueName(prefix);
    await admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor: 1 }] });
    await eventually(`${topic} in the metadata`, async () => {
      const offsets = await admin.fetchTopicOffsets(topic).catch(() => []);
      return offsets.length === numPartitions;
    });
    return topic;
  }

  it('deleteTopicRecords moves the earliest offset and a new consumer starts there', async () => {
    const topic = await newTopic('delete-records');
    const producer = cluster.kafka().producer();
    await producer.connect();
    for (let i = 0; i < 5; i++) await producer.send({ topic, messages: [{ value: `m${i}` }] });
    await producer.disconnect();

    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '3' }] });
    const [offsets] = await admin.fetchTopicOffsets(topic);
    expect(offsets).toMatchObject({ partition: 0, low: '3', high: '5' });

    const seen: string[] = [];
    const consumer = cluster.kafka().consumer({ groupId: uniqueName('delete-records-group'), sessionTimeout: 6_000, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
    await eventually('the records after the deleted ones', () => seen.length >= 2);
    await consumer.disconnect();
    expect(seen).toEqual(['m3', 'm4']);
  });

  it('alterConfigs stores a topic config that describeConfigs then reports as a dynamic topic config', async () => {
    const topic = await newTopic('configs');
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'retention.ms', value: '3600000' }] }],
    });
    await eventually('the altered config described', async () => {
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms'] }],
      });
      const entry = described.resources[0]!.configEntries.find((e) => e.configName === 'retention.ms');
      return entry?.configValue === '3600000' && entry.isDefault === false;
    });
  });

  it('refuses an unknown topic config name with INVALID_CONFIG', async () => {
    const topic = await newTopic('configs-bad');
    await expect(
      admin.alterConfigs({
        validateOnly: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'no.such.config', value: '1' }] }],
      }),
    ).rejects.toMatchObject({ type: 'INVALID_CONFIG' });
  });

  it("describes the broker's own configs", async () => {
    const metadata = await admin.describeCluster();
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.BROKER, name: String(metadata.brokers[0]!.nodeId) }],
    });
    const names = described.resources[0]!.configEntries.map((e) => e.configName);
    expect(names).toEqual(
      expect.arrayContaining(['num.partitions', 'message.max.bytes', 'auto.create.topics.enable', 'group.initial.rebalance.delay.ms', 'group.max.size', 'offset.metadata.max.bytes']),
    );
    const value = (name: string) => described.resources[0]!.configEntries.find((e) => e.configName === name)?.configValue;
    // Kafka's default, and the embedded broker's: the conformance tests of offset metadata rely on it.
    expect(value('offset.metadata.max.bytes')).toBe('4096');
  });

  it('createPartitions refuses a replica assignment that names an unknown broker or has the wrong length', async () => {
    const topic = await newTopic('assign', 1);
    await expect(admin.createPartitions({ topicPartitions: [{ topic, count: 2, assignments: [[999]] }] })).rejects.toMatchObject({
      type: 'INVALID_REPLICA_ASSIGNMENT',
    });
    await expect(admin.createPartitions({ topicPartitions: [{ topic, count: 3, assignments: [[1]] }] })).rejects.toMatchObject({
      type: 'INVALID_REPLICA_ASSIGNMENT',
    });
    const [only] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    expect(only!.partitions).toHaveLength(1);
  });
});
