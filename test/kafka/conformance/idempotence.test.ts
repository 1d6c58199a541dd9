import net from 'node:net';
import type { Admin, ISocketFactory } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerConfig, eventually, startCluster, uniqueName, type ConformanceCluster } from './cluster.ts';

const PRODUCE_API_KEY = 0;

/**
 * Sockets that lose the broker's answer to the next Produce request once armed: the request
 * reaches the broker and is written, the connection then dies before the client reads the
 * acknowledgement. That is the ambiguous failure idempotence exists for.
 */
function lossySockets(): { factory: ISocketFactory; armed: { value: boolean }; dropped: { value: number } } {
  const armed = { value: false };
  const dropped = { value: 0 };
  const factory: ISocketFactory = ({ host, port, onConnect }) => {
    const socket = net.connect({ host, port }, onConnect);
    let awaitingProduceAnswer = false;
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    socket.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (armed.value && Buffer.isBuffer(chunk) && chunk.length >= 6 && chunk.readInt16BE(4) === PRODUCE_API_KEY) {
        armed.value = false;
        awaitingProduceAnswer = true;
      }
      return write(chunk, ...rest);
    }) as typeof socket.write;
    const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
    socket.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event === 'data' && awaitingProduceAnswer) {
        awaitingProduceAnswer = false;
        dropped.value++;
        // Like a reset by the network: kafkajs learns of it through 'error'.
        socket.destroy(Object.assign(new Error('connection reset (simulated)'), { code: 'ECONNRESET' }));
        return true;
      }
      return emit(event, ...args);
    }) as typeof socket.emit;
    return socket;
  };
  return { factory, armed, dropped };
}

describe('idempotent producer', () => {
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

  it('a retried batch whose acknowledgement was lost is written once', async () => {
    const topic = uniqueName('idempotent');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
    const lossy = lossySockets();
    const producer = cluster.kafka({ socketFactory: lossy.factory }).producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      await producer.send({ topic, messages: [{ value: 'before' }] });
      lossy.armed.value = true;
      const [result] = await producer.send({ topic, messages: [{ value: 'retried-1' }, { value: 'retried-2' }] });
      expect(lossy.dropped.value).toBe(1);
      // The retry is answered with the offset the first attempt got.
      expect(result!.baseOffset).toBe('1');
      await producer.send({ topic, messages: [{ value: 'after' }] });
    } finally {
      await producer.disconnect();
    }

    const [partition] = await admin.fetchTopicOffsets(topic);
    expect(partition!.high).toBe('4');

    const received: string[] = [];
    const consumer = cluster.kafka().consumer(consumerConfig(uniqueName('idempotent-group')));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push(message.value!.toString()) });
    try {
      await eventually('four messages consumed', () => received.length >= 4);
    } finally {
      await consumer.disconnect();
    }
    expect(received).toEqual(['before', 'retried-1', 'retried-2', 'after']);
  });
});
