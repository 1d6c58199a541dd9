import type { Admin, KafkaMessage, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerConfig, eventually, startCluster, uniqueName, type ConformanceCluster } from './cluster.ts';

interface Received {
  partition: number;
  message: KafkaMessage;
}

describe('produce and consume', () => {
  let cluster: ConformanceCluster;
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    cluster = await startCluster();
    admin = cluster.kafka().admin();
    producer = cluster.kafka().producer();
    await Promise.all([admin.connect(), producer.connect()]);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
    await cluster?.close();
  });

  it('keeps keys, values, headers and timestamps, in order per partition, across many partitions', async () => {
    const topic = uniqueName('pc-many');
    await admin.createTopics({ topics: [{ topic, numPartitions: 6, replicationFactor: 1 }] });
    const keys = ['order-1', 'order-2', 'order-3', 'order-4', 'order-5', 'order-6', 'order-7', 'order-8'];
    const sent = Array.from({ length: 80 }, (_, i) => ({
      key: keys[i % keys.length]!,
      value: JSON.stringify({ seq: i, key: keys[i % keys.length] }),
      headers: { 'event-type': 'OrderPlaced', 'trace-id': `trace-${i}`, binary: Buffer.from([0, 255, i]) },
      timestamp: String(1_700_000_000_000 + i),
    }));
    // Several sends, so partitions hold more than one batch.
    for (let i = 0; i < sent.length; i += 20) {
      await producer.send({ topic, messages: sent.slice(i, i + 20) });
    }

    const received: Received[] = [];
    const consumer = cluster.kafka().consumer(consumerConfig(uniqueName('pc-many-group')));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ partition, message }) => void received.push({ partition, message }) });
    try {
      await eventually('all 80 messages consumed', () => received.length >= sent.length);
    } finally {
      await consumer.disconnect();
    }

    expect(received).toHaveLength(sent.length);
    const partitionsUsed = new Set(received.map((r) => r.partition));
    expect(partitionsUsed.size).toBeGreaterThan(1);

    for (const { message } of received) {
      const body = JSON.parse(message.value!.toString()) as { seq: number; key: string };
      const original = sent[body.seq]!;
      expect(message.key!.toString()).toBe(original.key);
      expect(message.timestamp).toBe(original.timestamp);
      expect(message.headers!['event-type']!.toString()).toBe('OrderPlaced');
      expect(message.headers!['trace-id']!.toString()).toBe(`trace-${body.seq}`);
      expect(Buffer.from(message.headers!.binary as Buffer)).toEqual(Buffer.from([0, 255, body.seq]));
    }

    // One key always lands on one partition, and its events arrive in the order sent.
    for (const key of keys) {
      const ofKey = received.filter((r) => r.message.key!.toString() === key);
      expect(new Set(ofKey.map((r) => r.partition)).size).toBe(1);
      const seqs = ofKey.map((r) => (JSON.parse(r.message.value!.toString()) as { seq: number }).seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    // Offsets within each partition are contiguous from 0.
    for (const partition of partitionsUsed) {
      const offsets = received.filter((r) => r.partition === partition).map((r) => Number(r.message.offset));
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }

    // Apache Kafka's admin metadata for a new topic can trail what its consumers already read.
    const total = async () => (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    await eventually('the topic offsets count every message', async () => (await total()) === sent.length);
    expect(await total()).toBe(sent.length);
  });

  it('a new group reading from latest sees only messages produced after it started', async () => {
    const topic = uniqueName('pc-latest');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }] });
    await producer.send({ topic, messages: [{ value: 'old-1' }, { value: 'old-2' }, { value: 'old-3' }] });

    const received: string[] = [];
    const consumer = cluster.kafka().consumer(consumerConfig(uniqueName('pc-latest-group')));
    let fetched = false;
    consumer.on(consumer.events.FETCH, () => {
      fetched = true;
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({ eachMessage: async ({ message }) => void received.push(message.value!.toString()) });
    try {
      // After the first fetch the starting offsets are resolved to "latest".
      await eventually('first fetch', () => fetched);
      await producer.send({ topic, messages: [{ value: 'new-1' }, { value: 'new-2' }] });
      await eventually('two new messages', () => received.length >= 2);
    } finally {
      await consumer.disconnect();
    }
    expect(received.sort()).toEqual(['new-1', 'new-2']);
  });

  it('serves earliest and latest offsets after producing', async () => {
    const topic = uniqueName('pc-offsets');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
    await producer.send({ topic, messages: Array.from({ length: 7 }, (_, i) => ({ value: `m${i}` })) });
    const [partition] = await admin.fetchTopicOffsets(topic);
    expect(partition).toMatchObject({ partition: 0, low: '0', high: '7', offset: '7' });
  });
});
