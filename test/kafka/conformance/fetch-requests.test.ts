import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchV4Frame, RawClient, readFetchV4 } from '../raw-client.ts';
import { startCluster, uniqueName, type ConformanceCluster } from './cluster.ts';

/**
 * How a broker answers Fetch requests kafkajs never sends but a hostile client can: Apache
 * Kafka keys a request's partitions in a map (FetchRequest.fetchData), so a partition listed
 * again is answered once. The embedded broker must answer the same, and must not do the work
 * once per entry.
 */
describe('fetch requests', () => {
  let cluster: ConformanceCluster;

  beforeAll(async () => {
    cluster = await startCluster();
  });

  afterAll(async () => {
    await cluster?.close();
  });

  it('answers a partition listed many times once, in the place of its first entry, with its last entry offset', async () => {
    const kafka = cluster.kafka();
    const topic = uniqueName('fetch-repeated');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2, replicationFactor: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ partition: 0, value: 'zero' }, { partition: 1, value: 'one' }] });
    await producer.disconnect();

    const [, port] = cluster.brokers[0]!.split(':');
    const client = await RawClient.connect(Number(port));
    const partition0 = Array.from({ length: 50 }, () => ({ partition: 0, offset: 0, maxBytes: 1024 * 1024 }));
    client.write(
      fetchV4Frame(31, topic, [
        // Partition 1 first, asking for nothing; its last entry asks from offset 1, the end of its log.
        { partition: 1, offset: 0, maxBytes: 0 },
        ...partition0,
        { partition: 1, offset: 1, maxBytes: 1024 * 1024 },
      ]),
    );
    const answer = await client.nextFrame();
    client.close();
    expect(answer?.correlationId).toBe(31);
    const partitions = readFetchV4(answer!.body);
    expect(partitions.map((p) => ({ topic: p.topic, partition: p.partition, errorCode: p.errorCode, highWatermark: p.highWatermark, hasRecords: p.recordBytes > 0 }))).toEqual([
      { topic, partition: 1, errorCode: 0, highWatermark: 1, hasRecords: false },
      { topic, partition: 0, errorCode: 0, highWatermark: 1, hasRecords: true },
    ]);
  });
});
