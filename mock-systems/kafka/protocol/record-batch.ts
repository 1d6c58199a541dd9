import { gunzipSync } from 'node:zlib';
import { crc32c } from './crc32c.ts';
import { Reader } from './reader.ts';
import { Writer } from './writer.ts';

/**
 * RecordBatch v2 (magic 2). The broker stores batches exactly as the producer sent them and
 * only rewrites the base offset, which sits outside the CRC, so keys, values, headers and
 * timestamps come back byte for byte.
 */
export const BATCH_HEADER_BYTES = 61;
/**
 * A gzip batch may inflate to this much; a larger one is refused at produce and never inflated
 * whole. Kafka sets no such limit, but a 200 KB gzip bomb otherwise inflates into gigabytes in
 * the process that hosts the broker (the grader's, for the embedded broker).
 */
export const MAX_INFLATED_BATCH_BYTES = 16 * 1024 * 1024;
/**
 * Headers one record may carry. Kafka sets no limit either; but a reader's decoder can be
 * quadratic in headers that repeat a key (kafkajs's is), so a few records with hundreds of
 * thousands of headers stall whoever reads the topic: the grader, reading what a submission wrote.
 */
export const MAX_HEADERS_PER_RECORD = 1024;
const LENGTH_FIELD_END = 12; // baseOffset (8) + batchLength (4)
const MAGIC_AT = 16;
const CRC_AT = 17;
const ATTRIBUTES_AT = 21;

export interface BatchHeader {
  baseOffset: number;
  /** Whole batch size in bytes, including baseOffset and batchLength. */
  sizeInBytes: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

export type BatchProblem =
  | { kind: 'truncated'; message: string }
  | { kind: 'too-many-headers'; message: string }
  | { kind: 'unsupported-magic'; message: string }
  | { kind: 'corrupt'; message: string };

export function readBatchHeader(batch: Buffer): BatchHeader {
  return {
    baseOffset: Number(batch.readBigInt64BE(0)),
    sizeInBytes: LENGTH_FIELD_END + batch.readInt32BE(8),
    partitionLeaderEpoch: batch.readInt32BE(12),
    magic: batch.readInt8(MAGIC_AT),
    crc: batch.readUInt32BE(CRC_AT),
    attributes: batch.readInt16BE(ATTRIBUTES_AT),
    lastOffsetDelta: batch.readInt32BE(23),
    baseTimestamp: Number(batch.readBigInt64BE(27)),
    maxTimestamp: Number(batch.readBigInt64BE(35)),
    producerId: Number(batch.readBigInt64BE(43)),
    producerEpoch: batch.readInt16BE(51),
    baseSequence: batch.readInt32BE(53),
    recordCount: batch.readInt32BE(57),
  };
}

/**
 * Splits a produce request's record set into batches and checks each one: complete, magic 2,
 * CRC32C matching. Returns the batches (views into `records`) or the first problem found.
 */
export function splitAndVerifyBatches(
  records: Buffer,
): { batches: Buffer[] } | { problem: BatchProblem } {
  const batches: Buffer[] = [];
  let at = 0;
  while (at < records.length) {
    if (records.length - at < BATCH_HEADER_BYTES) {
      return { problem: { kind: 'truncated', message: 'record set ends inside a batch header' } };
    }
    const batchLength = records.readInt32BE(at + 8);
    const size = LENGTH_FIELD_END + batchLength;
    if (batchLength < BATCH_HEADER_BYTES - LENGTH_FIELD_END || at + size > records.length) {
      return { problem: { kind: 'truncated', message: `batch claims ${size} bytes` } };
    }
    const batch = records.subarray(at, at + size);
    const magic = batch.readInt8(MAGIC_AT);
    if (magic !== 2) {
      return {
        problem: { kind: 'unsupported-magic', message: `message format magic ${magic}, only 2 is supported` },
      };
    }
    const expected = batch.readUInt32BE(CRC_AT);
    const actual = crc32c(batch, ATTRIBUTES_AT, batch.length);
    if (expected !== actual) {
      return { problem: { kind: 'corrupt', message: `CRC32C mismatch (batch says ${expected}, bytes give ${actual})` } };
    }
    const header = readBatchHeader(batch);
    if (header.recordCount < 0 || header.lastOffsetDelta < 0 || header.recordCount - 1 !== header.lastOffsetDelta) {
      return { problem: { kind: 'corrupt', message: 'record count does not match last offset delta' } };
    }
    batches.push(batch);
    at += size;
  }
  return { batches };
}

/** A stored copy of `batch` with its base offset set; the CRC stays valid. */
export function withBaseOffset(batch: Buffer, baseOffset: number): Buffer {
  const copy = Buffer.from(batch);
  copy.writeBigInt64BE(BigInt(baseOffset), 0);
  return copy;
}

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface DecodedRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

const COMPRESSION_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export function compressionOf(attributes: number): string {
  return COMPRESSION_NAMES[attributes & 0x07] ?? `unknown(${attributes & 0x07})`;
}

export function isControlBatch(attributes: number): boolean {
  return (attributes & 0x20) !== 0;
}

/** The records part of a batch, inflated if it is gzip; throws for a codec this broker cannot read. */
function recordsOf(batch: Buffer, compression: string): Buffer {
  const body = batch.subarray(BATCH_HEADER_BYTES);
  if (compression === 'none') return body;
  if (compression === 'gzip') return gunzipSync(body, { maxOutputLength: MAX_INFLATED_BATCH_BYTES });
  throw new Error(`cannot decode ${compression}-compressed batches; produce uncompressed or gzip`);
}

/**
 * Checks, without keeping anything, that the records of an uncompressed or gzip batch are what
 * the header says: as many as it counts, each ending where its length says, at most
 * MAX_HEADERS_PER_RECORD headers each, and inflating to at most MAX_INFLATED_BATCH_BYTES. Batches
 * of other codecs cannot be read here and pass unchecked.
 */
export function checkBatchRecords(batch: Buffer): BatchProblem | undefined {
  const header = readBatchHeader(batch);
  const compression = compressionOf(header.attributes);
  if (compression !== 'none' && compression !== 'gzip') return undefined;
  let body: Buffer;
  try {
    body = recordsOf(batch, compression);
  } catch (error) {
    return { kind: 'corrupt', message: `gzip records do not inflate to at most ${MAX_INFLATED_BATCH_BYTES} bytes: ${(error as Error).message}` };
  }
  const reader = new Reader(body);
  try {
    for (let i = 0; i < header.recordCount; i++) {
      const length = reader.readVarInt();
      const end = reader.offset + length;
      reader.readInt8();
      reader.readVarLong();
      reader.readVarInt();
      reader.readVarBytes();
      reader.readVarBytes();
      const headerCount = reader.readVarInt();
      if (headerCount > MAX_HEADERS_PER_RECORD) {
        return { kind: 'too-many-headers', message: `record ${i} has ${headerCount} headers; at most ${MAX_HEADERS_PER_RECORD} are accepted` };
      }
      for (let h = 0; h < headerCount; h++) {
        reader.readVarBytes();
        reader.readVarBytes();
      }
      if (reader.offset !== end) return { kind: 'corrupt', message: `record ${i} does not end where its length says` };
    }
  } catch (error) {
    return { kind: 'corrupt', message: `records do not match the batch header: ${(error as Error).message}` };
  }
  if (reader.offset !== body.length) return { kind: 'corrupt', message: `bytes after the ${header.recordCount} records the batch header counts` };
  return undefined;
}

/** Decodes the records of one stored batch (uncompressed or gzip; others cannot be read here). */
export function decodeBatchRecords(batch: Buffer): DecodedRecord[] {
  const header = readBatchHeader(batch);
  const body = recordsOf(batch, compressionOf(header.attributes));
  const logAppendTime = (header.attributes & 0x08) !== 0;
  const reader = new Reader(body);
  const records: DecodedRecord[] = [];
  for (let i = 0; i < header.recordCount; i++) {
    reader.readVarInt(); // record length; fields are read one by one anyway
    reader.readInt8(); // record attributes, unused by magic 2
    const timestampDelta = reader.readVarLong();
    const offsetDelta = reader.readVarInt();
    const key = reader.readVarBytes();
    const value = reader.readVarBytes();
    const headerCount = reader.readVarInt();
    if (headerCount > MAX_HEADERS_PER_RECORD) throw new Error(`a record with ${headerCount} headers; at most ${MAX_HEADERS_PER_RECORD} are read`);
    const headers: RecordHeader[] = [];
    for (let h = 0; h < headerCount; h++) {
      const headerKey = reader.readVarBytes();
      headers.push({ key: headerKey?.toString('utf8') ?? '', value: reader.readVarBytes() });
    }
    records.push({
      offset: header.baseOffset + offsetDelta,
      timestamp: logAppendTime ? header.maxTimestamp : header.baseTimestamp + timestampDelta,
      key: key && Buffer.from(key),
      value: value && Buffer.from(value),
      headers: headers.map((h) => ({ key: h.key, value: h.value && Buffer.from(h.value) })),
    });
  }
  return records;
}

export interface RecordInput {
  key?: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeader[];
  timestamp?: number;
}

/**
 * Encodes an uncompressed batch. The broker never needs this to serve clients; tests and
 * fault hooks use it to build batches without a client.
 */
export function encodeBatch(
  records: RecordInput[],
  options: { baseOffset?: number; producerId?: number; producerEpoch?: number; baseSequence?: number } = {},
): Buffer {
  const now = Date.now();
  const timestamps = records.map((r) => r.timestamp ?? now);
  const baseTimestamp = timestamps.length > 0 ? Math.min(...timestamps) : now;
  const maxTimestamp = timestamps.length > 0 ? Math.max(...timestamps) : now;
  const body = new Writer();
  records.forEach((record, index) => {
    const one = new Writer();
    one
      .int8(0)
      .varLong(timestamps[index]! - baseTimestamp)
      .varInt(index)
      .varBytes(record.key ?? null)
      .varBytes(record.value);
    const headers = record.headers ?? [];
    one.varInt(headers.length);
    for (const h of headers) one.varBytes(Buffer.from(h.key, 'utf8')).varBytes(h.value);
    body.varInt(one.size).raw(one.toBuffer());
  });
  const bodyBytes = body.toBuffer();
  const batch = new Writer(BATCH_HEADER_BYTES + bodyBytes.length);
  batch
    .int64(options.baseOffset ?? 0)
    .int32(BATCH_HEADER_BYTES - LENGTH_FIELD_END + bodyBytes.length)
    .int32(0) // partition leader epoch
    .int8(2)
    .uint32(0) // CRC, filled below
    .int16(0)
    .int32(records.length - 1)
    .int64(baseTimestamp)
    .int64(maxTimestamp)
    .int64(options.producerId ?? -1)
    .int16(options.producerEpoch ?? -1)
    .int32(options.baseSequence ?? -1)
    .int32(records.length)
    .raw(bodyBytes);
  const bytes = batch.toBuffer();
  bytes.writeUInt32BE(crc32c(bytes, ATTRIBUTES_AT, bytes.length), CRC_AT);
  return Buffer.from(bytes);
}
