import type { Admin, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerConfig, eventually, startCluster, uniqueName, type ConformanceCluster } from './cluster.ts';

describe('pause and resume', () => {
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

  it('a paused topic delivers nothing while another keeps flowing, and catches up on resume', async () => {
    const paused = uniqueName('paused');
    const flowing = uniqueName('flowing');
    await admin.createTopics({
      topics: [
        { topic: paused, numPartitions: 1, replicationFactor: 1 },
        { topic: flowing, numPartitions: 1, replicationFactor: 1 },
      ],
    });
    const received: { topic: string; value: string }[] = [];
    const consumer = cluster.kafka().consumer(consumerConfig(uniqueName('pause-group')));
    await consumer.connect();
    await consumer.subscribe({ topics: [paused, flowing], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => void received.push({ topic, value: message.value!.toString() }),
    });
    const of = (topic: string) => received.filter((r) => r.topic === topic).map((r) => r.value);
    try {
      await producer.send({ topic: paused, messages: [{ value: 'p0' }] });
      await eventually('first message of the soon-paused topic', () => of(paused).length === 1);

      consumer.pause([{ topic: paused }]);
      await producer.send({ topic: paused, messages: [{ value: 'p1' }, { value: 'p2' }] });
      await producer.send({ topic: flowing, messages: [{ value: 'f0' }, { value: 'f1' }] });
      // The flowing topic proves the consumer kept fetching while the other stayed paused.
      await eventually('the other topic keeps flowing', () => of(flowing).length === 2);
      await producer.send({ topic: flowing, messages: [{ value: 'f2' }] });
      await eventually('and keeps flowing', () => of(flowing).length === 3);
      expect(of(paused)).toEqual(['p0']);
      expect(consumer.paused()).toEqual([{ topic: paused, partitions: [0] }]);

      consumer.resume([{ topic: paused }]);
      await eventually('paused messages delivered after resume', () => of(paused).length === 3);
      expect(of(paused)).toEqual(['p0', 'p1', 'p2']);
    } finally {
      await consumer.disconnect();
    }
  });
});
