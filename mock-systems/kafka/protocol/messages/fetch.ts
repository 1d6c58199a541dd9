import type { Reader } from '../reader.ts';
import { Writer } from '../writer.ts';

/** Fetch v4. */
export interface FetchRequest {
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  isolationLevel: number;
  topics: { name: string; partitions: { partition: number; fetchOffset: number; maxBytes: number }[] }[];
}

export function decodeFetchRequest(reader: Reader): FetchRequest {
  const replicaId = reader.readInt32();
  const maxWaitMs = reader.readInt32();
  const minBytes = reader.readInt32();
  const maxBytes = reader.readInt32();
  const isolationLevel = reader.readInt8();
  const topics = reader.readArray((r) => ({
    name: r.readString(),
    partitions: r.readArray((r) => ({ partition: r.readInt32(), fetchOffset: r.readInt64(), maxBytes: r.readInt32() })),
  }));
  reader.expectEnd('Fetch request');
  return { replicaId, maxWaitMs, minBytes, maxBytes, isolationLevel, topics };
}

export interface FetchPartitionResult {
  partition: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  batches: Buffer[];
}

export function encodeFetchResponse(topics: { name: string; partitions: FetchPartitionResult[] }[]): Buffer {
  const w = new Writer(1024);
  w.int32(0);
  w.array(topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => {
      w.int32(p.partition).int16(p.errorCode).int64(p.highWatermark).int64(p.lastStableOffset);
      w.int32(0); // aborted transactions: none, this broker has no transactions
      const size = p.batches.reduce((sum, b) => sum + b.length, 0);
      w.int32(size);
      for (const batch of p.batches) w.raw(batch);
    });
  });
  return w.toBuffer();
}
