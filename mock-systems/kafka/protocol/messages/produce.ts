import type { Reader } from '../reader.ts';
import { Writer } from '../writer.ts';

/** Produce v3. */
export interface ProduceRequest {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topics: { name: string; partitions: { partition: number; records: Buffer | null }[] }[];
}

export function decodeProduceRequest(reader: Reader): ProduceRequest {
  const transactionalId = reader.readNullableString();
  const acks = reader.readInt16();
  const timeoutMs = reader.readInt32();
  const topics = reader.readArray((r) => ({
    name: r.readString(),
    partitions: r.readArray((r) => ({ partition: r.readInt32(), records: r.readNullableBytes() })),
  }));
  reader.expectEnd('Produce request');
  return { transactionalId, acks, timeoutMs, topics };
}

export interface ProducePartitionResult {
  partition: number;
  errorCode: number;
  baseOffset: number;
  logAppendTime: number;
}

export function encodeProduceResponse(
  topics: { name: string; partitions: ProducePartitionResult[] }[],
): Buffer {
  const w = new Writer();
  w.array(topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => w.int32(p.partition).int16(p.errorCode).int64(p.baseOffset).int64(p.logAppendTime));
  });
  w.int32(0);
  return w.toBuffer();
}
