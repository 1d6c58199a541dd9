import type { Reader } from '../reader.ts';
import { Writer } from '../writer.ts';

/** OffsetCommit v3. */
export interface OffsetCommitRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  retentionTimeMs: number;
  topics: { name: string; partitions: { partition: number; offset: number; metadata: string | null }[] }[];
}

export function decodeOffsetCommitRequest(reader: Reader): OffsetCommitRequest {
  const groupId = reader.readString();
  const generationId = reader.readInt32();
  const memberId = reader.readString();
  const retentionTimeMs = reader.readInt64();
  const topics = reader.readArray((r) => ({
    name: r.readString(),
    partitions: r.readArray((r) => ({ partition: r.readInt32(), offset: r.readInt64(), metadata: r.readNullableString() })),
  }));
  reader.expectEnd('OffsetCommit request');
  return { groupId, generationId, memberId, retentionTimeMs, topics };
}

export function encodeOffsetCommitResponse(
  topics: { name: string; partitions: { partition: number; errorCode: number }[] }[],
): Buffer {
  return new Writer()
    .int32(0)
    .array(topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => w.int32(p.partition).int16(p.errorCode));
    })
    .toBuffer();
}

/** OffsetFetch v3; null topics asks for every committed offset of the group. */
export interface OffsetFetchRequest {
  groupId: string;
  topics: { name: string; partitions: number[] }[] | null;
}

export function decodeOffsetFetchRequest(reader: Reader): OffsetFetchRequest {
  const groupId = reader.readString();
  const topics = reader.readNullableArray((r) => ({ name: r.readString(), partitions: r.readArray((r) => r.readInt32()) }));
  reader.expectEnd('OffsetFetch request');
  return { groupId, topics };
}

export function encodeOffsetFetchResponse(
  topics: { name: string; partitions: { partition: number; offset: number; metadata: string | null; errorCode: number }[] }[],
  errorCode: number,
): Buffer {
  return new Writer()
    .int32(0)
    .array(topics, (w, t) => {
      w.string(t.name);
      w.array(t.partitions, (w, p) => w.int32(p.partition).int64(p.offset).nullableString(p.metadata).int16(p.errorCode));
    })
    .int16(errorCode)
    .toBuffer();
}
