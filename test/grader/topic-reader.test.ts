import { CompressionTypes, Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTopics, UnreadableTopicsError } from '../../grader/checks/topic-reader.ts';
import { startKafkaBroker, type KafkaBroker } from '../../mock-systems/kafka/index.ts';

// The reader's limits against the embedded broker; test/environment/docker.test.ts gives a real
// Kafka the records the embedded broker refuses (a megabyte of headers) and the reader ends them.
describe('readTopics: what a submission wrote, read in a thread of its own', { timeout: 60_000 }, () => {
  let broker: KafkaBroker;
  let producer: Producer;

  beforeAll(async () => {
    broker = await startKafkaBroker({ port: 0 });
    producer = new Kafka({ clientId: 'topic-reader-test', brokers: [broker.bootstrapServers], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({
      topic: 'parked',
      messages: [
        { key: 'p-1', value: '{"id":1}', headers: { reason: 'schema-invalid', attempt: ['1', '2'] } },
        { key: null, value: '{"id":2}' },
      ],
    });
    await producer.send({ topic: 'large', messages: Array.from({ length: 40 }, (_, index) => ({ key: `k-${index}`, value: 'x'.repeat(1000) })) });
    // 8 MiB in one gzip batch of about 8 KB (the embedded broker takes up to 16 MiB inflated).
    await producer.send({ topic: 'inflating', compression: CompressionTypes.GZIP, messages: [{ key: 'bomb', value: Buffer.alloc(8 * 2 ** 20) }] });
  });

  afterAll(async () => {
    await producer?.disconnect();
    await broker?.close();
  });

  it('gives every record up to the end, in order, as text; a topic that does not exist reads as empty', async () => {
    const records = await readTopics(broker.bootstrapServers, ['parked', 'never-written']);
    expect(records).toEqual([
      { topic: 'parked', partition: 0, offset: '0', key: 'p-1', value: '{"id":1}', headers: { reason: 'schema-invalid', attempt: '1' } },
      { topic: 'parked', partition: 0, offset: '1', key: null, value: '{"id":2}', headers: {} },
    ]);
  });

  it('refuses to hold more than its byte limit', async () => {
    const read = readTopics(broker.bootstrapServers, ['large'], { maxBytes: 10_000 });
    await expect(read).rejects.toThrow(UnreadableTopicsError);
    await expect(read).rejects.toThrow('large hold more than');
  });

  it('stops inflating a compressed batch at its byte limit, and says so', async () => {
    const read = readTopics(broker.bootstrapServers, ['inflating'], { maxBytes: 2 ** 20 });
    await expect(read).rejects.toThrow(new UnreadableTopicsError('inflating cannot be read: a gzip batch inflates past 1 MiB'));
    // Under the limit the same batch reads as the record it is.
    const [record] = await readTopics(broker.bootstrapServers, ['inflating'], { maxBytes: 16 * 2 ** 20 });
    expect(record).toMatchObject({ key: 'bomb', offset: '0' });
    expect(record!.value).toHaveLength(8 * 2 ** 20);
  });

  it('ends a reader past its deadline', async () => {
    const started = performance.now();
    const read = readTopics(broker.bootstrapServers, ['large'], { timeoutMs: 50 });
    await expect(read).rejects.toThrow(new UnreadableTopicsError('reading large did not finish within 0.05 s'));
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('ends a reader that runs out of its heap, and the grader goes on', async () => {
    await expect(readTopics(broker.bootstrapServers, ['large'], { heapMb: 2 })).rejects.toThrow(new UnreadableTopicsError('reading large took more than 2 MB of memory'));
    expect(await readTopics(broker.bootstrapServers, ['large'])).toHaveLength(40);
  });

  it('says so when there is no broker to read from, as a failure of the read, not of the records', async () => {
    const read = readTopics('127.0.0.1:1', ['parked'], { timeoutMs: 30_000 });
    await expect(read).rejects.toThrow(/reading parked failed/);
    await expect(read).rejects.not.toBeInstanceOf(UnreadableTopicsError);
  });
});
