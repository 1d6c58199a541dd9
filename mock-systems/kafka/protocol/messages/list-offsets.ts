import type { Reader } from '../reader.ts';
import { Writer } from '../writer.ts';

/** ListOffsets v1. Timestamp -1 asks for the latest offset, -2 for the earliest. */
export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;

export interface ListOffsetsRequest {
  replicaId: number;
  topics: { name: string; partitions: { partition: number; timestamp: number }[] }[];
}

export function decodeListOffsetsRequest(reader: Reader): ListOffsetsRequest {
  const replicaId = reader.readInt32();
  const topics = reader.readArray((r) => ({
    name: r.readString(),
    partitions: r.readArray((r) => ({ partition: r.readInt32(), timestamp: r.readInt64() })),
  }));
  reader.expectEnd('ListOffsets request');
  return { replicaId, topics };
}

export function encodeListOffsetsResponse(
  topics: { name: string; partitions: { partition: number; errorCode: number; timestamp: number; offset: number }[] }[],
): Buffer {
  return new Writer()
    .array(topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => w.int32(p.partition).int16(p.errorCode).int64(p.timestamp).int64(p.offset));
    })
    .toBuffer();
}
