import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafkaBroker, type KafkaBroker } from '../../mock-systems/kafka/index.ts';
import { ApiKey } from '../../mock-systems/kafka/protocol/api-keys.ts';
import { ErrorCode } from '../../mock-systems/kafka/protocol/errors.ts';
import { crc32c } from '../../mock-systems/kafka/protocol/crc32c.ts';
import { BATCH_HEADER_BYTES, encodeBatch, MAX_HEADERS_PER_RECORD, MAX_INFLATED_BATCH_BYTES } from '../../mock-systems/kafka/protocol/record-batch.ts';
import { Writer } from '../../mock-systems/kafka/protocol/writer.ts';
import { RawClient, readApiVersions, requestFrame } from './raw-client.ts';

/** Produce v3 of one batch to partition 0 of `topic`; the partition's error code and base offset. */
async function produceError(broker: KafkaBroker, records: Buffer, topic = 'bad-input'): Promise<{ errorCode: number; baseOffset: number }> {
  const body = new Writer()
    .nullableString(null)
    .int16(1)
    .int32(1000)
    .array([topic], (w, name) => {
      w.string(name).array([0], (w, partition) => w.int32(partition).bytes(records));
    })
    .toBuffer();
  const client = await RawClient.connect(broker.port);
  client.write(requestFrame(ApiKey.Produce, 3, 5, body));
  const response = await client.nextFrame();
  client.close();
  const answer = response!.body;
  answer.readInt32(); // topics count
  answer.readString();
  answer.readInt32(); // partitions count
  answer.readInt32(); // partition
  return { errorCode: answer.readInt16(), baseOffset: answer.readInt64() };
}

/** `batch` (uncompressed, from encodeBatch) with its records gzipped, or replaced by `records`, and its CRC made right. */
function asGzipBatch(batch: Buffer, records?: Buffer): Buffer {
  const body = gzipSync(records ?? batch.subarray(BATCH_HEADER_BYTES));
  const out = Buffer.concat([batch.subarray(0, BATCH_HEADER_BYTES), body]);
  out.writeInt32BE(out.length - 12, 8);
  out.writeInt16BE(out.readInt16BE(21) | 1, 21);
  out.writeUInt32BE(crc32c(out, 21, out.length), 17);
  return out;
}

describe('bad input on the wire', () => {
  let broker: KafkaBroker;
  let bystander: RawClient;
  let correlation = 100;

  beforeAll(async () => {
    broker = await startKafkaBroker({ port: 0, maxFrameBytes: 4096 });
    broker.createTopic('bad-input', 1);
    bystander = await RawClient.connect(broker.port);
  });

  afterAll(async () => {
    bystander?.close();
    await broker?.close();
  });

  /** The connection that did nothing wrong still gets answers. */
  async function bystanderStillServed(): Promise<void> {
    const id = ++correlation;
    bystander.write(requestFrame(ApiKey.ApiVersions, 2, id));
    const response = await bystander.nextFrame();
    expect(response?.correlationId).toBe(id);
    expect(readApiVersions(response!.body).errorCode).toBe(ErrorCode.NONE);
  }

  async function expectClosedBy(bytes: Buffer): Promise<void> {
    const client = await RawClient.connect(broker.port);
    client.write(bytes);
    await client.waitForClose();
    expect(await client.nextFrame()).toBeNull();
    await bystanderStillServed();
  }

  it('closes a connection that announces an oversized frame', async () => {
    await expectClosedBy(Buffer.from([0, 0, 0x10, 0x01])); // 4097 bytes, one over the limit
  });

  it('closes a connection that announces a negative frame size', async () => {
    await expectClosedBy(Buffer.from([0xff, 0xff, 0xff, 0xf0]));
  });

  it('closes a connection that sends an unknown API key or an unsupported version', async () => {
    await expectClosedBy(requestFrame(999, 0, 1));
    await expectClosedBy(requestFrame(ApiKey.Metadata, 12, 1, Buffer.from([0, 0, 0, 0, 1])));
  });

  it('closes a connection whose frame is too short for a request header', async () => {
    await expectClosedBy(Buffer.from([0, 0, 0, 3, 0, 18, 0]));
  });

  it('closes a connection whose request body is cut short', async () => {
    await expectClosedBy(requestFrame(ApiKey.Metadata, 4, 1, Buffer.from([0, 0, 0, 2, 0, 1])));
    // Flexible versions: a compact array that claims more entries than the body holds.
    await expectClosedBy(requestFrame(ApiKey.Metadata, 12, 1, Buffer.from([0, 9, 0])));
  });

  it('answers a request with trailing bytes after its body, as Apache Kafka 3.9 does', async () => {
    const client = await RawClient.connect(broker.port);
    client.write(requestFrame(ApiKey.Metadata, 4, 11, Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 99, 98, 97])));
    const response = await client.nextFrame();
    expect(response?.correlationId).toBe(11);
    client.close();
  });

  it('answers an ApiVersions version it does not know with UNSUPPORTED_VERSION and its list', async () => {
    const client = await RawClient.connect(broker.port);
    client.write(requestFrame(ApiKey.ApiVersions, 99, 7));
    const response = await client.nextFrame();
    const { errorCode, apiKeys } = readApiVersions(response!.body);
    expect(errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect(apiKeys).toContain(ApiKey.ApiVersions);
    client.close();
  });

  it('answers a corrupt or truncated batch with CORRUPT_MESSAGE and stores nothing', async () => {
    const batch = encodeBatch([{ value: Buffer.from('payload') }]);
    const corrupt = Buffer.from(batch);
    corrupt[corrupt.length - 1]! ^= 0xff;
    expect(await produceError(broker, corrupt)).toMatchObject({ errorCode: ErrorCode.CORRUPT_MESSAGE });
    expect(await produceError(broker, batch.subarray(0, batch.length - 4))).toMatchObject({ errorCode: ErrorCode.CORRUPT_MESSAGE });
    expect(broker.messages('bad-input')).toHaveLength(0);
    expect(await produceError(broker, batch)).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 0 });
    expect(broker.messages('bad-input').map((m) => m.valueText)).toEqual(['payload']);
  });

  it('answers pipelined requests in order, even when sent in one write and split mid-frame', async () => {
    const client = await RawClient.connect(broker.port);
    const metadataAll = new Writer().int32(-1).boolean(false).toBuffer();
    const bytes = Buffer.concat([
      requestFrame(ApiKey.ApiVersions, 0, 1),
      requestFrame(ApiKey.Metadata, 4, 2, metadataAll),
      requestFrame(ApiKey.ApiVersions, 1, 3),
    ]);
    client.write(bytes.subarray(0, 7));
    await new Promise((resolve) => setImmediate(resolve));
    client.write(bytes.subarray(7));
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await client.nextFrame())!.correlationId);
    expect(ids).toEqual([1, 2, 3]);
    client.close();
  });

  it('does not answer a produce with acks=0, and the next request still gets its answer', async () => {
    const client = await RawClient.connect(broker.port);
    const body = new Writer()
      .nullableString(null)
      .int16(0)
      .int32(1000)
      .array(['bad-input'], (w, topic) => {
        w.string(topic).array([0], (w, p) => w.int32(p).bytes(encodeBatch([{ value: Buffer.from('fire-and-forget') }])));
      })
      .toBuffer();
    client.write(Buffer.concat([requestFrame(ApiKey.Produce, 3, 1, body), requestFrame(ApiKey.ApiVersions, 2, 2)]));
    expect((await client.nextFrame())!.correlationId).toBe(2);
    expect(broker.messages('bad-input').map((m) => m.valueText)).toContain('fire-and-forget');
    client.close();
  });
});

describe('records a reader could not take (the grader reads what a submission wrote)', () => {
  let broker: KafkaBroker;

  beforeAll(async () => {
    broker = await startKafkaBroker({ port: 0 });
    broker.createTopic('bounded', 1);
  });

  afterAll(async () => {
    await broker?.close();
  });

  it('refuses a gzip batch that inflates beyond MAX_INFLATED_BATCH_BYTES, without inflating it whole', async () => {
    // 17 MiB of zeros gzip to about 17 KB: the red team's bomb held 10^8 headers in 200 KB.
    const bomb = asGzipBatch(encodeBatch([{ value: Buffer.from('x') }]), Buffer.alloc(MAX_INFLATED_BATCH_BYTES + 1024 * 1024));
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(await produceError(broker, bomb, 'bounded')).toMatchObject({ errorCode: ErrorCode.CORRUPT_MESSAGE });
    expect(broker.messages('bounded')).toHaveLength(0);
    const fine = asGzipBatch(encodeBatch([{ value: Buffer.from('gzipped') }]));
    expect(await produceError(broker, fine, 'bounded')).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 0 });
    expect(broker.messages('bounded').map((m) => m.valueText)).toEqual(['gzipped']);
  });

  it('refuses a record with more than MAX_HEADERS_PER_RECORD headers with INVALID_RECORD, gzipped or not', async () => {
    const headers = (count: number) => Array.from({ length: count }, () => ({ key: 'k', value: Buffer.from('') }));
    const tooMany = encodeBatch([{ value: Buffer.from('a') }, { value: Buffer.from('b'), headers: headers(MAX_HEADERS_PER_RECORD + 1) }]);
    expect(await produceError(broker, tooMany, 'bounded')).toMatchObject({ errorCode: ErrorCode.INVALID_RECORD });
    expect(await produceError(broker, asGzipBatch(tooMany), 'bounded')).toMatchObject({ errorCode: ErrorCode.INVALID_RECORD });
    const atTheLimit = encodeBatch([{ value: Buffer.from('many headers'), headers: headers(MAX_HEADERS_PER_RECORD) }]);
    expect((await produceError(broker, atTheLimit, 'bounded')).errorCode).toBe(ErrorCode.NONE);
    expect(broker.messages('bounded').at(-1)?.headers).toHaveLength(MAX_HEADERS_PER_RECORD);
  });

  it('refuses records that do not match the batch header: fewer than it counts, or bytes after them', async () => {
    const batch = encodeBatch([{ value: Buffer.from('one') }, { value: Buffer.from('two') }]);
    const records = batch.subarray(BATCH_HEADER_BYTES);
    const firstOnly = records.subarray(0, records.indexOf(Buffer.from('one')) + 4);
    expect(await produceError(broker, asGzipBatch(batch, firstOnly), 'bounded')).toMatchObject({ errorCode: ErrorCode.CORRUPT_MESSAGE });
    expect(await produceError(broker, asGzipBatch(batch, Buffer.concat([records, Buffer.from([0])])), 'bounded')).toMatchObject({ errorCode: ErrorCode.CORRUPT_MESSAGE });
  });
});
