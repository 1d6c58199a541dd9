import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startCluster, uniqueName, type ConformanceCluster } from './cluster.ts';

describe('admin: topics and partitions', () => {
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

  it('creates topics with the requested partitions and lists them', async () => {
    const a = uniqueName('admin-a');
    const b = uniqueName('admin-b');
    const created = await admin.createTopics({
      topics: [
        { topic: a, numPartitions: 4, replicationFactor: 1 },
        { topic: b, numPartitions: 1, replicationFactor: 1 },
      ],
    });
    expect(created).toBe(true);
    const names = await admin.listTopics();
    expect(names).toEqual(expect.arrayContaining([a, b]));
    const metadata = await admin.fetchTopicMetadata({ topics: [a, b] });
    const partitionsOf = (name: string) => metadata.topics.find((t) => t.name === name)!.partitions.length;
    expect(partitionsOf(a)).toBe(4);
    expect(partitionsOf(b)).toBe(1);
  });

  it('reports false when every topic already exists, and refuses invalid names', async () => {
    const name = uniqueName('admin-dup');
    await admin.createTopics({ topics: [{ topic: name, numPartitions: 1, replicationFactor: 1 }] });
    expect(await admin.createTopics({ topics: [{ topic: name, numPartitions: 1, replicationFactor: 1 }] })).toBe(false);
    await expect(
      admin.createTopics({ topics: [{ topic: 'no spaces allowed!', numPartitions: 1, replicationFactor: 1 }] }),
    ).rejects.toThrow();
  });

  it('adds partitions to an existing topic', async () => {
    const name = uniqueName('admin-grow');
    await admin.createTopics({ topics: [{ topic: name, numPartitions: 2, replicationFactor: 1 }] });
    await admin.createPartitions({ topicPartitions: [{ topic: name, count: 5 }] });
    // Apache Kafka updates its metadata a moment after CreatePartitions answers.
    await eventually('the topic shows 5 partitions', async () => (await admin.fetchTopicMetadata({ topics: [name] })).topics[0]!.partitions.length === 5);
    const metadata = await admin.fetchTopicMetadata({ topics: [name] });
    expect(metadata.topics[0]!.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2, 3, 4]);
    await expect(admin.createPartitions({ topicPartitions: [{ topic: name, count: 3 }] })).rejects.toThrow();
  });

  it('deletes topics', async () => {
    const name = uniqueName('admin-del');
    await admin.createTopics({ topics: [{ topic: name, numPartitions: 2, replicationFactor: 1 }] });
    await admin.deleteTopics({ topics: [name] });
    expect(await admin.listTopics()).not.toContain(name);
  });

  it('lists earliest and latest offsets of an empty topic as 0', async () => {
    const name = uniqueName('admin-offsets');
    await admin.createTopics({ topics: [{ topic: name, numPartitions: 3, replicationFactor: 1 }] });
    const offsets = await admin.fetchTopicOffsets(name);
    expect(offsets.map((o) => [o.partition, o.low, o.high]).sort()).toEqual([
      [0, '0', '0'],
      [1, '0', '0'],
      [2, '0', '0'],
    ]);
  });
});
