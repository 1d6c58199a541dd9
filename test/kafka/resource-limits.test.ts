import net from 'node:net';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, startKafkaBroker, type KafkaBroker } from '../../mock-systems/kafka/index.ts';
import { ApiKey } from '../../mock-systems/kafka/protocol/api-keys.ts';
import { ErrorCode } from '../../mock-systems/kafka/protocol/errors.ts';
import { consumerConfig, eventually } from './conformance/cluster.ts';
import { fetchV4Frame, RawClient, readApiVersions, readFetchV4, requestFrame, type FetchEntry, type FetchedPartition } from './raw-client.ts';

/**
 * The broker runs in the grader's process while untrusted submissions talk to it: these are the
 * red team's attacks (redteam/kafka-fetch-amplify-04, redteam/kafka-frame-bomb-04) at small
 * scale, each with the bound it must now keep and a well-behaved client that must not notice.
 * Bounds are read from the broker's own counters (`network()`), not from timing or RSS.
 */

const KiB = 1024;
const MiB = 1024 * KiB;

/** A socket that writes and never reads, as the red team's submission did. */
async function connectNonReader(port: number): Promise<net.Socket> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.pause();
  return socket;
}

function flushed(socket: net.Socket, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => socket.write(bytes, () => resolve()));
}

function storedBytes(broker: KafkaBroker, topic: string): number {
  return broker.topics().find((t) => t.name === topic)!.partitions.reduce((sum, p) => sum + p.sizeInBytes, 0);
}

describe('a Fetch that lists a partition many times or asks for 2 GB', () => {
  let broker: KafkaBroker;
  const fetchMaxBytes = 64 * KiB;

  beforeAll(async () => {
    broker = await startKafkaBroker({ port: 0, fetchMaxBytes });
    broker.createTopic('repeated', 1);
    broker.append('repeated', 0, [{ value: Buffer.alloc(100 * KiB, 1) }]);
    broker.append('repeated', 0, [{ value: Buffer.alloc(100 * KiB, 2) }]);
    broker.createTopic('spread', 3);
    for (const partition of [0, 1, 2]) broker.append('spread', partition, [{ value: Buffer.alloc(30 * KiB, partition) }]);
  });

  afterAll(async () => {
    await broker?.close();
  });

  async function fetch(topic: string, entries: FetchEntry[], maxBytes?: number): Promise<{ partitions: FetchedPartition[]; frameBytes: number }> {
    const client = await RawClient.connect(broker.port);
    client.write(fetchV4Frame(1, topic, entries, maxBytes));
    const response = await client.nextFrame();
    client.close();
    const frameBytes = response!.body.remaining + 4;
    return { partitions: readFetchV4(response!.body), frameBytes };
  }

  it('answers a partition listed 300 times once, as Kafka keys fetch data by partition', async () => {
    const entries = Array.from({ length: 300 }, () => ({ partition: 0, offset: 0, maxBytes: 4 * MiB }));
    const { partitions, frameBytes } = await fetch('repeated', entries);
    expect(partitions).toHaveLength(1);
    expect(partitions[0]).toMatchObject({ topic: 'repeated', partition: 0, errorCode: ErrorCode.NONE, highWatermark: 2 });
    // One copy of what the partition holds, where 300 used to be sent (and built in memory).
    expect(frameBytes).toBeLessThan(2 * storedBytes(broker, 'repeated'));
  });

  it('takes the last entry for a partition listed again, in the place of its first', async () => {
    const { partitions } = await fetch('spread', [
      { partition: 1, offset: 0, maxBytes: 0 },
      { partition: 0, offset: 0, maxBytes: MiB },
      { partition: 1, offset: 1, maxBytes: MiB },
    ]);
    // Kafka's LinkedHashMap.put: partition 1 stays first, and is read from offset 1 (the end: nothing).
    expect(partitions.map((p) => [p.partition, p.recordBytes > 0])).toEqual([
      [1, false],
      [0, true],
    ]);
  });

  it('sends at most fetchMaxBytes of records whatever max_bytes the client asks for', async () => {
    const entries = [0, 1, 2].map((partition) => ({ partition, offset: 0, maxBytes: MiB }));
    const { partitions } = await fetch('spread', entries, 0x7fffffff);
    const sizes = partitions.map((p) => p.recordBytes);
    // Two 30 KiB batches fit in 64 KiB, the third does not; it comes back empty with its high watermark.
    expect(sizes[0]).toBeGreaterThan(30 * KiB);
    expect(sizes[1]).toBe(sizes[0]);
    expect(sizes[2]).toBe(0);
    expect(partitions[2]).toMatchObject({ errorCode: ErrorCode.NONE, highWatermark: 1 });
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(fetchMaxBytes);
  });

  it('still sends a first batch larger than every limit, so a consumer makes progress', async () => {
    const { partitions } = await fetch('repeated', [{ partition: 0, offset: 0, maxBytes: 1 }], 1);
    expect(partitions[0]!.recordBytes).toBeGreaterThan(100 * KiB);
    expect(partitions[0]!.recordBytes).toBeLessThan(2 * 100 * KiB);
  });
});

describe('clients that do not read their responses', () => {
  let broker: KafkaBroker;
  let kafka: Kafka;
  let producer: Producer;
  const consumers: Consumer[] = [];
  const hostile: net.Socket[] = [];
  const batchBytes = 900 * 1000;

  beforeAll(async () => {
    broker = await startKafkaBroker({ port: 0 });
    broker.createTopic('amplify', 1);
    broker.append('amplify', 0, [{ value: Buffer.alloc(batchBytes, 0x61) }]);
    broker.append('amplify', 0, [{ value: Buffer.alloc(batchBytes, 0x61) }]);
    kafka = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING, retry: { initialRetryTime: 50, retries: 10 } });
    producer = kafka.producer();
    await producer.connect();
  });

  afterEach(async () => {
    for (const socket of hostile.splice(0)) socket.destroy();
    await Promise.all(consumers.splice(0).map((c) => c.disconnect()));
  });

  afterAll(async () => {
    await producer?.disconnect();
    await broker?.close();
  });

  /** kafkajs produces and consumes a message on its own connections. */
  async function roundTrip(topic: string): Promise<void> {
    broker.createTopic(topic, 1);
    await producer.send({ topic, messages: [{ value: 'still served' }] });
    const received: string[] = [];
    const consumer = kafka.consumer(consumerConfig(`${topic}-group`));
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push(message.value!.toString()) });
    await eventually('kafkajs consumed the message', () => received.length === 1);
    expect(received).toEqual(['still served']);
  }

  it('reads nothing more from a client while its response is unsent, and serves a kafkajs client meanwhile', async () => {
    const socket = await connectNonReader(broker.port);
    hostile.push(socket);
    // The red team's requests: the partition 300 times, 2 GB asked for, 40 times, replies never read.
    const entries = Array.from({ length: 300 }, () => ({ partition: 0, offset: 0, maxBytes: 4 * MiB }));
    const requests = Array.from({ length: 40 }, (_, i) => fetchV4Frame(i + 1, 'amplify', entries));
    await flushed(socket, Buffer.concat(requests));
    await eventually('a response is held back', () => broker.network().queuedResponseBytes > 0);

    await roundTrip('served-while-muted');

    const stats = broker.network();
    const oneResponse = 2 * batchBytes + 64 * KiB;
    // At most the one response the client has not taken; without muting, every answer piles up.
    expect(stats.peakQueuedResponseBytes).toBeLessThanOrEqual(oneResponse);
    // The requests behind it wait in the kernel: the broker has read at most one socket read's worth.
    expect(stats.peakQueuedRequestBytes).toBeLessThanOrEqual(64 * KiB + requests[0]!.length);
    expect(stats.peakQueuedRequestBytes).toBeLessThan(Buffer.concat(requests).length);
  });

  it('closes the client with the most unread when all unread responses go over the budget', async () => {
    const small = await startKafkaBroker({ port: 0, maxMessageBytes: 1 * MiB, fetchMaxBytes: 1 * MiB, maxQueuedResponseBytes: 2 * MiB + 64 * KiB });
    try {
      small.createTopic('amplify', 1);
      small.append('amplify', 0, [{ value: Buffer.alloc(batchBytes, 0x61) }]);
      const entries = [{ partition: 0, offset: 0, maxBytes: 4 * MiB }];
      const sockets: net.Socket[] = [];
      for (let i = 0; i < 3; i++) {
        const socket = await connectNonReader(small.port);
        sockets.push(socket);
        hostile.push(socket);
        await flushed(socket, Buffer.concat(Array.from({ length: 60 }, (_, n) => fetchV4Frame(n + 1, 'amplify', entries))));
      }
      await eventually('one reader closed', () => small.network().closedOverResponseBudget >= 1);
      const stats = small.network();
      expect(stats.queuedResponseBytes).toBeLessThanOrEqual(2 * MiB + 64 * KiB);
      expect(stats.peakQueuedResponseBytes).toBeLessThanOrEqual(2 * MiB + 64 * KiB);
      const bystander = await RawClient.connect(small.port);
      bystander.write(requestFrame(ApiKey.ApiVersions, 2, 7));
      expect((await bystander.nextFrame())?.correlationId).toBe(7);
      bystander.close();
    } finally {
      await small.close();
    }
  });
});

describe('partial frames and connection counts', () => {
  it('refuses by default a frame over 16 MiB, such as the 100 MiB frame the red team held open', async () => {
    const broker = await startKafkaBroker({ port: 0 });
    try {
      for (const size of [100 * MiB, DEFAULT_LIMITS.maxFrameBytes + 1]) {
        const client = await RawClient.connect(broker.port);
        const head = Buffer.alloc(4);
        head.writeInt32BE(size);
        client.write(Buffer.concat([head, Buffer.alloc(64 * KiB)]));
        await client.waitForClose();
      }
      expect(broker.network().peakQueuedRequestBytes).toBeLessThanOrEqual(4 + 64 * KiB);
    } finally {
      await broker.close();
    }
  });

  describe('with small limits', () => {
    let broker: KafkaBroker;
    let kafka: Kafka;
    let producer: Producer;
    const frameLimit = 64 * KiB;
    const budget = 256 * KiB;

    beforeAll(async () => {
      broker = await startKafkaBroker({ port: 0, maxFrameBytes: frameLimit, maxQueuedRequestBytes: budget, maxConnections: 32 });
      kafka = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING, retry: { initialRetryTime: 50, retries: 10 } });
      producer = kafka.producer();
      await producer.connect();
    });

    afterAll(async () => {
      await producer?.disconnect();
      await broker?.close();
    });

    it('closes the connections holding the most unfinished frames when all together go over the budget', async () => {
      const bombs: net.Socket[] = [];
      const closed: net.Socket[] = [];
      // Eight connections each hold 60 KiB of a 64 KiB frame that never completes: 480 KiB.
      for (let i = 0; i < 8; i++) {
        const socket = net.connect({ host: '127.0.0.1', port: broker.port });
        socket.on('error', () => {});
        socket.once('close', () => closed.push(socket));
        await new Promise((resolve) => socket.once('connect', resolve));
        const head = Buffer.alloc(4);
        head.writeInt32BE(frameLimit);
        await flushed(socket, Buffer.concat([head, Buffer.alloc(60 * KiB)]));
        bombs.push(socket);
      }
      // 480 KiB must shrink to 256: at least four 60 KiB holders go.
      await eventually('the largest holders are closed', () => closed.length >= 4);
      const stats = broker.network();
      expect(stats.closedOverRequestBudget).toBeGreaterThanOrEqual(4);
      expect(stats.queuedRequestBytes).toBeLessThanOrEqual(budget);
      expect(stats.peakQueuedRequestBytes).toBeLessThanOrEqual(budget);

      // A well-behaved client, connected before and after, is served.
      await producer.send({ topic: 'after-the-bomb', messages: [{ value: 'served' }] });
      expect(broker.messages('after-the-bomb').map((m) => m.valueText)).toEqual(['served']);
      const late = await RawClient.connect(broker.port);
      late.write(requestFrame(ApiKey.ApiVersions, 2, 3));
      const answer = await late.nextFrame();
      expect(readApiVersions(answer!.body).errorCode).toBe(ErrorCode.NONE);
      late.close();
      for (const socket of bombs) socket.destroy();
    });

    it('closes a connection over maxConnections as it arrives and keeps serving the open ones', async () => {
      const limited = await startKafkaBroker({ port: 0, maxConnections: 4 });
      try {
        const open = [];
        for (let i = 0; i < 4; i++) open.push(await RawClient.connect(limited.port));
        await eventually('four connections open', () => limited.connectionCount === 4);
        const refused = [await RawClient.connect(limited.port), await RawClient.connect(limited.port)];
        for (const client of refused) {
          await client.waitForClose();
          expect(await client.nextFrame()).toBeNull();
        }
        expect(limited.network()).toMatchObject({ connections: 4, refusedConnections: 2 });

        open[0]!.write(requestFrame(ApiKey.ApiVersions, 2, 1));
        expect((await open[0]!.nextFrame())?.correlationId).toBe(1);

        // A freed place is taken again.
        open.pop()!.close();
        await eventually('a place is free', () => limited.connectionCount === 3);
        const next = await RawClient.connect(limited.port);
        next.write(requestFrame(ApiKey.ApiVersions, 2, 2));
        expect((await next.nextFrame())?.correlationId).toBe(2);
        for (const client of [...open, next]) client.close();
      } finally {
        await limited.close();
      }
    });
  });
});
