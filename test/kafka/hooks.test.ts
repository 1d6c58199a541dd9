import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startKafkaBroker, type KafkaBroker } from '../../mock-systems/kafka/index.ts';
import { ApiKey } from '../../mock-systems/kafka/protocol/api-keys.ts';
import { ErrorCode } from '../../mock-systems/kafka/protocol/errors.ts';
import { Writer } from '../../mock-systems/kafka/protocol/writer.ts';
import { consumerConfig, eventually } from './conformance/cluster.ts';
import { RawClient, requestFrame } from './raw-client.ts';

describe('inspection and fault hooks of the embedded broker', () => {
  let broker: KafkaBroker;
  let kafka: Kafka;
  let producer: Producer;
  const running: Consumer[] = [];

  beforeAll(async () => {
    broker = await startKafkaBroker({ port: 0 });
    kafka = new Kafka({ brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING, retry: { initialRetryTime: 50, retries: 10 } });
    producer = kafka.producer();
    await producer.connect();
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.disconnect()));
  });

  afterAll(async () => {
    await producer?.disconnect();
    await broker?.close();
  });

  async function consume(groupId: string, topic: string, into: string[], joins?: { count: number }): Promise<Consumer> {
    const consumer = kafka.consumer(consumerConfig(groupId));
    if (joins) consumer.on(consumer.events.GROUP_JOIN, () => void joins.count++);
    running.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void into.push(message.value!.toString()) });
    return consumer;
  }

  it('shows topics, decoded messages with headers, committed offsets and lag', async () => {
    broker.createTopic('inspect', 2);
    await producer.send({
      topic: 'inspect',
      messages: [
        { partition: 0, key: 'k', value: '{"n":1}', headers: { reason: 'retry' } },
        { partition: 1, value: 'plain' },
        { partition: 1, value: 'more' },
      ],
    });
    expect(broker.topics().find((t) => t.name === 'inspect')!.partitions.map((p) => p.latestOffset)).toEqual([1, 2]);
    const [first] = broker.messages('inspect', 0);
    expect(first).toMatchObject({ partition: 0, offset: 0, keyText: 'k', valueText: '{"n":1}' });
    expect(first!.headers).toEqual([{ key: 'reason', value: Buffer.from('retry') }]);
    expect(broker.lag('inspect-group', 'inspect')).toMatchObject({ total: 0, partitions: [{ committed: null, lag: null }, { committed: null }] });

    const received: string[] = [];
    await consume('inspect-group', 'inspect', received);
    await eventually('all consumed and committed', () => broker.lag('inspect-group', 'inspect').partitions.every((p) => p.lag === 0));
    expect(broker.groupOffsets('inspect-group')).toEqual([
      { topic: 'inspect', partition: 0, offset: 1, metadata: null },
      { topic: 'inspect', partition: 1, offset: 2, metadata: null },
    ]);
    expect(broker.group('inspect-group')).toMatchObject({ state: 'Stable', members: [expect.objectContaining({ clientId: 'kafkajs' })] });
    expect(() => broker.messages('missing')).toThrow(/does not exist/);
  });

  it('forces a rebalance and redelivers from an offset', async () => {
    broker.createTopic('redeliver', 1);
    await producer.send({ topic: 'redeliver', messages: ['m0', 'm1', 'm2', 'm3'].map((value) => ({ value })) });
    const received: string[] = [];
    const joins = { count: 0 };
    await consume('redeliver-group', 'redeliver', received, joins);
    await eventually('four consumed', () => received.length === 4);
    await eventually('offset 4 committed', () => broker.groupOffsets('redeliver-group')[0]?.offset === 4);

    const before = joins.count;
    broker.forceRebalance('redeliver-group');
    await eventually('the member rejoined', () => joins.count > before);

    broker.redeliverFrom('redeliver-group', 'redeliver', 0, 1);
    await eventually('m1..m3 delivered again', () => received.length === 7);
    expect(received.slice(4)).toEqual(['m1', 'm2', 'm3']);
  });

  it('makes a partition leader unavailable for a while; producers retry through it', async () => {
    broker.createTopic('flaky', 1);
    await producer.send({ topic: 'flaky', messages: [{ value: 'before' }] });
    broker.makeLeaderUnavailable('flaky', 0, 300);
    const admin = kafka.admin();
    await admin.connect();
    await expect(admin.fetchTopicOffsets('flaky')).resolves.toBeDefined(); // admin retries until it is back
    await admin.disconnect();
    broker.makeLeaderUnavailable('flaky', 0, 300);
    await producer.send({ topic: 'flaky', messages: [{ value: 'during' }] });
    expect(broker.messages('flaky').map((m) => m.valueText)).toEqual(['before', 'during']);
  });

  it('drops connections; clients reconnect by themselves', async () => {
    broker.createTopic('dropped', 1);
    await producer.send({ topic: 'dropped', messages: [{ value: 'one' }] });
    expect(broker.connectionCount).toBeGreaterThan(0);
    broker.dropConnections();
    await eventually('connections closed', () => broker.connectionCount === 0);
    await producer.send({ topic: 'dropped', messages: [{ value: 'two' }] });
    expect(broker.messages('dropped').map((m) => m.valueText)).toEqual(['one', 'two']);
  });

  it('slowed fetches still deliver', async () => {
    broker.createTopic('slow', 1);
    broker.setFetchDelay(50);
    try {
      await producer.send({ topic: 'slow', messages: [{ value: 'eventually' }] });
      const received: string[] = [];
      await consume('slow-group', 'slow', received);
      await eventually('message delivered', () => received.length === 1);
    } finally {
      broker.setFetchDelay(0);
    }
  });
});

describe('fetch semantics on the wire', () => {
  let broker: KafkaBroker;

  beforeAll(async () => {
    broker = await startKafkaBroker({ port: 0 });
    broker.createTopic('wire', 1);
    broker.append('wire', 0, [{ value: Buffer.from('zero') }]);
  });

  afterAll(async () => {
    await broker?.close();
  });

  const fetchBody = (offset: number, maxWaitMs: number) =>
    new Writer()
      .int32(-1)
      .int32(maxWaitMs)
      .int32(1)
      .int32(1024 * 1024)
      .int8(0)
      .array(['wire'], (w, topic) => w.string(topic).array([0], (w, p) => w.int32(p).int64(offset).int32(1024 * 1024)))
      .toBuffer();

  function readFetch(body: import('../../mock-systems/kafka/protocol/reader.ts').Reader) {
    body.readInt32(); // throttle
    body.readInt32(); // topics
    body.readString();
    body.readInt32(); // partitions
    body.readInt32(); // partition
    const errorCode = body.readInt16();
    const highWatermark = body.readInt64();
    body.readInt64();
    body.readInt32(); // aborted
    const records = body.readBytes();
    return { errorCode, highWatermark, recordBytes: records.length };
  }

  it('answers OFFSET_OUT_OF_RANGE past the end of the log', async () => {
    const client = await RawClient.connect(broker.port);
    client.write(requestFrame(ApiKey.Fetch, 4, 1, fetchBody(5, 0)));
    expect(readFetch((await client.nextFrame())!.body)).toMatchObject({ errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, highWatermark: 1 });
    client.close();
  });

  it('holds a fetch at the end of the log until a record arrives', async () => {
    const client = await RawClient.connect(broker.port);
    client.write(requestFrame(ApiKey.Fetch, 4, 2, fetchBody(1, 20_000)));
    const answer = client.nextFrame();
    await new Promise((resolve) => setImmediate(resolve));
    broker.append('wire', 0, [{ value: Buffer.from('one') }]);
    const result = readFetch((await answer)!.body);
    expect(result).toMatchObject({ errorCode: 0, highWatermark: 2 });
    expect(result.recordBytes).toBeGreaterThan(0);
    client.close();
  });
});
