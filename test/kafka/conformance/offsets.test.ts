import type { Admin, Consumer, Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consumerConfig, eventually, startCluster, uniqueName, type ConformanceCluster } from './cluster.ts';

describe('committed offsets, seek and reset', () => {
  let cluster: ConformanceCluster;
  let admin: Admin;
  let producer: Producer;
  const running: Consumer[] = [];

  beforeAll(async () => {
    cluster = await startCluster();
    admin = cluster.kafka().admin();
    producer = cluster.kafka().producer();
    await Promise.all([admin.connect(), producer.connect()]);
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.disconnect()));
  });

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
    await cluster?.close();
  });

  async function topicWithMessages(count: number): Promise<string> {
    const topic = uniqueName('offsets');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
    await producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ value: `m${i}` })) });
    return topic;
  }

  async function consume(groupId: string, topic: string, into: string[]): Promise<Consumer> {
    const consumer = cluster.kafka().consumer(consumerConfig(groupId));
    running.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void into.push(message.value!.toString()) });
    return consumer;
  }

  async function stop(consumer: Consumer): Promise<void> {
    running.splice(running.indexOf(consumer), 1);
    await consumer.disconnect();
  }

  async function committed(groupId: string, topic: string): Promise<string> {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return entry!.partitions[0]!.offset;
  }

  it('a restarted consumer resumes after the last committed offset', async () => {
    const topic = await topicWithMessages(10);
    const groupId = uniqueName('restart');
    const first: string[] = [];
    const consumer = await consume(groupId, topic, first);
    await eventually('ten messages consumed', () => first.length === 10);
    await eventually('offset 10 committed', async () => (await committed(groupId, topic)) === '10');
    await stop(consumer);

    await producer.send({ topic, messages: [{ value: 'm10' }, { value: 'm11' }, { value: 'm12' }] });
    const second: string[] = [];
    await consume(groupId, topic, second);
    await eventually('three new messages consumed', () => second.length >= 3);
    expect(second).toEqual(['m10', 'm11', 'm12']);
  });

  it('seek makes a running consumer read again from the given offset', async () => {
    const topic = await topicWithMessages(6);
    const received: string[] = [];
    const consumer = await consume(uniqueName('seek'), topic, received);
    await eventually('six messages consumed', () => received.length === 6);
    consumer.seek({ topic, partition: 0, offset: '3' });
    await eventually('messages from offset 3 consumed again', () => received.length === 9);
    expect(received.slice(6)).toEqual(['m3', 'm4', 'm5']);
  });

  it('resetOffsets to earliest and setOffsets to an offset steer the next consumer', async () => {
    const topic = await topicWithMessages(5);
    const groupId = uniqueName('reset');
    const first: string[] = [];
    const consumer = await consume(groupId, topic, first);
    await eventually('five messages consumed', () => first.length === 5);
    await eventually('offset 5 committed', async () => (await committed(groupId, topic)) === '5');
    await stop(consumer);

    await admin.resetOffsets({ groupId, topic, earliest: true });
    const afterReset: string[] = [];
    const again = await consume(groupId, topic, afterReset);
    await eventually('all five consumed again', () => afterReset.length >= 5);
    expect(afterReset).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    await eventually('offset 5 committed again', async () => (await committed(groupId, topic)) === '5');
    await stop(again);

    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '3' }] });
    expect(await committed(groupId, topic)).toBe('3');
    const afterSet: string[] = [];
    await consume(groupId, topic, afterSet);
    await eventually('messages from offset 3 consumed', () => afterSet.length >= 2);
    expect(afterSet).toEqual(['m3', 'm4']);
  });

  it('refuses to reset the offsets of a group that has running members', async () => {
    const topic = await topicWithMessages(1);
    const groupId = uniqueName('busy');
    const received: string[] = [];
    await consume(groupId, topic, received);
    await eventually('one message consumed', () => received.length === 1);
    await expect(admin.resetOffsets({ groupId, topic, earliest: true })).rejects.toThrow(/no running instances/);
  });

  it('lists a group and deletes it once it has no members', async () => {
    const topic = await topicWithMessages(1);
    const groupId = uniqueName('delete');
    const received: string[] = [];
    const consumer = await consume(groupId, topic, received);
    await eventually('one message consumed', () => received.length === 1);
    const { groups } = await admin.listGroups();
    expect(groups).toContainEqual({ groupId, protocolType: 'consumer' });
    await expect(admin.deleteGroups([groupId])).rejects.toThrow();
    await stop(consumer);
    await admin.deleteGroups([groupId]);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain(groupId);
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(offsets!.partitions[0]!.offset).toBe('-1');
  });
});
