import { describe, expect, it } from 'vitest';
import { crc32c } from '../../mock-systems/kafka/protocol/crc32c.ts';
import { FrameDecoder, FrameTooLargeError } from '../../mock-systems/kafka/protocol/frames.ts';
import { MalformedRequestError, Reader } from '../../mock-systems/kafka/protocol/reader.ts';
import {
  decodeBatchRecords,
  encodeBatch,
  readBatchHeader,
  splitAndVerifyBatches,
  withBaseOffset,
} from '../../mock-systems/kafka/protocol/record-batch.ts';
import { Writer } from '../../mock-systems/kafka/protocol/writer.ts';

describe('CRC32C', () => {
  it('matches the Castagnoli check value and known vectors', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });
});

describe('primitive reader and writer', () => {
  it('round-trip every primitive, growing the buffer as needed', () => {
    const writer = new Writer(4);
    writer
      .int8(-5)
      .boolean(true)
      .int16(-300)
      .int32(-70_000)
      .uint32(0xfffffffe)
      .int64(-2)
      .int64(2 ** 50)
      .string('héllo')
      .nullableString(null)
      .bytes(Buffer.from([1, 2, 3]))
      .nullableBytes(null)
      .array([7, 8], (w, n) => w.int32(n));
    const reader = new Reader(writer.toBuffer());
    expect(reader.readInt8()).toBe(-5);
    expect(reader.readBoolean()).toBe(true);
    expect(reader.readInt16()).toBe(-300);
    expect(reader.readInt32()).toBe(-70_000);
    expect(reader.readUInt32()).toBe(0xfffffffe);
    expect(reader.readInt64()).toBe(-2);
    expect(reader.readInt64()).toBe(2 ** 50);
    expect(reader.readString()).toBe('héllo');
    expect(reader.readNullableString()).toBeNull();
    expect([...reader.readBytes()]).toEqual([1, 2, 3]);
    expect(reader.readNullableBytes()).toBeNull();
    expect(reader.readArray((r) => r.readInt32())).toEqual([7, 8]);
    reader.expectEnd('test');
  });

  it('encodes zigzag varints and varlongs as Kafka does', () => {
    const cases: [number, number[]][] = [
      [0, [0x00]],
      [-1, [0x01]],
      [1, [0x02]],
      [63, [0x7e]],
      [-64, [0x7f]],
      [64, [0x80, 0x01]],
      [300, [0xd8, 0x04]],
    ];
    for (const [value, bytes] of cases) {
      expect([...new Writer().varInt(value).toBuffer()]).toEqual(bytes);
      expect(new Reader(Buffer.from(bytes)).readVarInt()).toBe(value);
    }
    for (const value of [0, -1, 2 ** 31, -(2 ** 40), 1_700_000_000_000, 2 ** 31 - 1, -(2 ** 31)]) {
      expect(new Reader(new Writer().varLong(value).toBuffer()).readVarLong()).toBe(value);
    }
    for (const value of [2 ** 31 - 1, -(2 ** 31)]) {
      expect(new Reader(new Writer().varInt(value).toBuffer()).readVarInt()).toBe(value);
    }
  });

  it('refuses to read past the end or believe impossible lengths', () => {
    expect(() => new Reader(Buffer.from([0, 1])).readInt32()).toThrow(MalformedRequestError);
    expect(() => new Reader(Buffer.from([0, 9, 65])).readString()).toThrow(MalformedRequestError);
    expect(() => new Reader(Buffer.from([0xff, 0xfe])).readNullableString()).toThrow(MalformedRequestError);
    expect(() => new Reader(Buffer.from([0, 0, 0, 200])).readArray((r) => r.readInt8())).toThrow(MalformedRequestError);
    expect(() => new Reader(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])).readVarInt()).toThrow(MalformedRequestError);
    expect(() => new Reader(Buffer.from([1])).expectEnd('x')).toThrow(/trailing/);
  });
});

describe('frame decoder', () => {
  const frame = (payload: number[]) => Buffer.from([0, 0, 0, payload.length, ...payload]);

  it('splits several frames arriving in one chunk', () => {
    const decoder = new FrameDecoder(100);
    const frames = decoder.push(Buffer.concat([frame([1]), frame([2, 3]), frame([])]));
    expect(frames.map((f) => [...f])).toEqual([[1], [2, 3], []]);
  });

  it('joins a frame arriving a byte at a time, size prefix included', () => {
    const decoder = new FrameDecoder(100);
    const bytes = Buffer.concat([frame([9, 8, 7]), frame([6])]);
    const frames: Buffer[] = [];
    for (const byte of bytes) frames.push(...decoder.push(Buffer.from([byte])));
    expect(frames.map((f) => [...f])).toEqual([[9, 8, 7], [6]]);
    expect(decoder.buffered).toBe(0);
  });

  it('refuses frames over the limit and negative sizes as soon as the size is known', () => {
    expect(() => new FrameDecoder(10).push(Buffer.from([0, 0, 0, 11]))).toThrow(FrameTooLargeError);
    expect(() => new FrameDecoder(10).push(Buffer.from([0xff, 0xff, 0xff, 0xff]))).toThrow(FrameTooLargeError);
  });
});

describe('record batch v2', () => {
  const records = [
    { key: Buffer.from('k1'), value: Buffer.from('v1'), headers: [{ key: 'h', value: Buffer.from('x') }], timestamp: 1000 },
    { key: null, value: Buffer.from('v2'), timestamp: 1005 },
    { value: null, headers: [{ key: 'null-header', value: null }], timestamp: 1001 },
  ];

  it('verifies a well-formed batch and decodes its records', () => {
    const batch = encodeBatch(records);
    const verified = splitAndVerifyBatches(batch);
    expect('batches' in verified && verified.batches).toHaveLength(1);
    const header = readBatchHeader(batch);
    expect(header).toMatchObject({ magic: 2, recordCount: 3, lastOffsetDelta: 2, baseTimestamp: 1000, maxTimestamp: 1005 });
    const decoded = decodeBatchRecords(batch);
    expect(decoded.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null, r.value?.toString() ?? null])).toEqual([
      [0, 1000, 'k1', 'v1'],
      [1, 1005, null, 'v2'],
      [2, 1001, null, null],
    ]);
    expect(decoded[0]!.headers).toEqual([{ key: 'h', value: Buffer.from('x') }]);
    expect(decoded[2]!.headers).toEqual([{ key: 'null-header', value: null }]);
  });

  it('rewrites the base offset without touching the CRC-covered bytes', () => {
    const batch = encodeBatch(records);
    const moved = withBaseOffset(batch, 41);
    expect(moved.subarray(8)).toEqual(batch.subarray(8));
    expect('batches' in splitAndVerifyBatches(moved)).toBe(true);
    expect(decodeBatchRecords(moved).map((r) => r.offset)).toEqual([41, 42, 43]);
    expect(readBatchHeader(batch).baseOffset).toBe(0); // the original stays as it was
  });

  it('detects a flipped bit, a truncated batch and a wrong magic byte', () => {
    const batch = encodeBatch(records);
    const flipped = Buffer.from(batch);
    flipped[flipped.length - 3]! ^= 0x10;
    expect(splitAndVerifyBatches(flipped)).toMatchObject({ problem: { kind: 'corrupt' } });
    expect(splitAndVerifyBatches(batch.subarray(0, batch.length - 1))).toMatchObject({ problem: { kind: 'truncated' } });
    expect(splitAndVerifyBatches(batch.subarray(0, 30))).toMatchObject({ problem: { kind: 'truncated' } });
    const oldMagic = Buffer.from(batch);
    oldMagic[16] = 1;
    expect(splitAndVerifyBatches(oldMagic)).toMatchObject({ problem: { kind: 'unsupported-magic' } });
  });
});
