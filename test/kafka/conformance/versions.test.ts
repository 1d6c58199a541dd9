import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../mock-systems/kafka/protocol/api-keys.ts';
import { RawClient, requestFrame } from '../raw-client.ts';
import { consumerConfig, eventually, startCluster, uniqueName, type ConformanceCluster } from './cluster.ts';

/**
 * What kafkajs 2.2.4 negotiates against Apache Kafka 3.9 for everything its producer, consumer
 * and admin client do: the highest version both know. The same test runs against the real
 * Kafka (scripts/kafka-conformance.sh), which is where these numbers come from.
 */
const KAFKA_3_9_PICKS: Record<string, number> = {
  ApiVersions: 2,
  Metadata: 6,
  CreateTopics: 3,
  CreatePartitions: 1,
  DeleteTopics: 1,
  DeleteRecords: 1,
  DescribeConfigs: 2,
  AlterConfigs: 1,
  InitProducerId: 1,
  Produce: 7,
  GroupCoordinator: 2,
  JoinGroup: 5,
  SyncGroup: 3,
  Heartbeat: 3,
  OffsetFetch: 4,
  ListOffsets: 3,
  Fetch: 11,
  OffsetCommit: 5,
  LeaveGroup: 3,
  DescribeGroups: 2,
  ListGroups: 2,
  DeleteGroups: 1,
};

describe('protocol versions', () => {
  let cluster: ConformanceCluster;

  beforeAll(async () => {
    cluster = await startCluster();
  });

  afterAll(async () => {
    await cluster?.close();
  });

  it('kafkajs negotiates the versions it picks against Kafka 3.9, for producer, consumer and admin', async () => {
    const picked: Record<string, number> = {};
    const record = (event: { payload: { apiName: string; apiVersion: number } }) => {
      picked[event.payload.apiName] = Math.max(picked[event.payload.apiName] ?? -1, event.payload.apiVersion);
    };
    const kafka = cluster.kafka();
    const topic = uniqueName('versions');
    const groupId = uniqueName('versions-group');

    const admin = kafka.admin();
    admin.on(admin.events.REQUEST, record);
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
    await admin.createPartitions({ topicPartitions: [{ topic, count: 2 }] });

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    producer.on(producer.events.REQUEST, record);
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: 'v', partition: 0 }] });

    const consumer = kafka.consumer(consumerConfig(groupId));
    consumer.on(consumer.events.REQUEST, record);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    await consumer.run({ autoCommitThreshold: 1, eachMessage: async () => void seen++ });
    await eventually('the message consumed and committed', async () => {
      const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
      return seen === 1 && offsets[0]!.partitions.some((p) => p.offset === '1');
    });
    // A quick consumer may be done before its first heartbeat (every 200 ms here).
    await eventually('a heartbeat', () => picked.Heartbeat !== undefined);
    await consumer.disconnect();

    await admin.describeGroups([groupId]);
    await admin.listGroups();
    await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: topic }] });
    await admin.alterConfigs({ validateOnly: true, resources: [{ type: 2, name: topic, configEntries: [{ name: 'retention.ms', value: '60000' }] }] });
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '1' }] });
    await admin.deleteGroups([groupId]);
    await admin.deleteTopics({ topics: [topic] });
    await producer.disconnect();
    await admin.disconnect();

    expect(picked).toEqual(KAFKA_3_9_PICKS);
  });

  it('answers a request that carries trailing bytes after its body', async () => {
    const [host, port] = cluster.brokers[0]!.split(':');
    expect(host).toBeDefined();
    const client = await RawClient.connect(Number(port));
    // Metadata v1 for no topics (an empty array), then five bytes no version defines.
    client.write(requestFrame(ApiKey.Metadata, 1, 21, Buffer.from([0, 0, 0, 0, 1, 2, 3, 4, 5])));
    const answer = await client.nextFrame();
    client.close();
    expect(answer?.correlationId).toBe(21);
  });

  it('answers Metadata v0, where an empty topic list means every topic', async () => {
    const kafka = cluster.kafka();
    const admin = kafka.admin();
    await admin.connect();
    const topic = uniqueName('metadata-v0');
    // Real Kafka's metadata lags a new topic for a moment; the poll below waits for it.
    await admin.createTopics({ waitForLeaders: false, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
    await admin.disconnect();
    const [, port] = cluster.brokers[0]!.split(':');
    await eventually('Metadata v0 to list the new topic', async () => {
      const client = await RawClient.connect(Number(port));
      client.write(requestFrame(ApiKey.Metadata, 0, 22, Buffer.from([0, 0, 0, 0])));
      const answer = await client.nextFrame();
      client.close();
      if (answer?.correlationId !== 22) return false;
      const body = answer.body;
      body.readArray((r) => [r.readInt32(), r.readString(), r.readInt32()]);
      const names = body.readArray((r) => {
        r.readInt16();
        const name = r.readString();
        r.readArray((p) => [p.readInt16(), p.readInt32(), p.readInt32(), p.readArray((x) => x.readInt32()), p.readArray((x) => x.readInt32())]);
        return name;
      });
      return names.includes(topic);
    });
  });
});
