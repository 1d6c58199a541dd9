import type { Reader } from '../reader.ts';
import { Writer } from '../writer.ts';

/** CreateTopics v2. */
export interface CreateTopicsRequest {
  topics: {
    name: string;
    numPartitions: number;
    replicationFactor: number;
    assignments: { partition: number; brokerIds: number[] }[];
    configs: { name: string; value: string | null }[];
  }[];
  timeoutMs: number;
  validateOnly: boolean;
}

export function decodeCreateTopicsRequest(reader: Reader): CreateTopicsRequest {
  const topics = reader.readArray((r) => ({
    name: r.readString(),
    numPartitions: r.readInt32(),
    replicationFactor: r.readInt16(),
    assignments: r.readArray((r) => ({ partition: r.readInt32(), brokerIds: r.readArray((r) => r.readInt32()) })),
    configs: r.readArray((r) => ({ name: r.readString(), value: r.readNullableString() })),
  }));
  const timeoutMs = reader.readInt32();
  const validateOnly = reader.readBoolean();
  reader.expectEnd('CreateTopics request');
  return { topics, timeoutMs, validateOnly };
}

export interface TopicResult {
  name: string;
  errorCode: number;
  errorMessage: string | null;
}

export function encodeCreateTopicsResponse(results: TopicResult[]): Buffer {
  return new Writer()
    .int32(0)
    .array(results, (w, r) => w.string(r.name).int16(r.errorCode).nullableString(r.errorMessage))
    .toBuffer();
}

/** DeleteTopics v1. */
export function decodeDeleteTopicsRequest(reader: Reader): { names: string[]; timeoutMs: number } {
  const names = reader.readArray((r) => r.readString());
  const timeoutMs = reader.readInt32();
  reader.expectEnd('DeleteTopics request');
  return { names, timeoutMs };
}

export function encodeDeleteTopicsResponse(results: { name: string; errorCode: number }[]): Buffer {
  return new Writer()
    .int32(0)
    .array(results, (w, r) => w.string(r.name).int16(r.errorCode))
    .toBuffer();
}

/** CreatePartitions v0 and v1 share one layout. */
export interface CreatePartitionsRequest {
  topics: { name: string; count: number; assignments: number[][] | null }[];
  timeoutMs: number;
  validateOnly: boolean;
}

export function decodeCreatePartitionsRequest(reader: Reader): CreatePartitionsRequest {
  const topics = reader.readArray((r) => ({
    name: r.readString(),
    count: r.readInt32(),
    assignments: r.readNullableArray((r) => r.readArray((r) => r.readInt32())),
  }));
  const timeoutMs = reader.readInt32();
  const validateOnly = reader.readBoolean();
  reader.expectEnd('CreatePartitions request');
  return { topics, timeoutMs, validateOnly };
}

export function encodeCreatePartitionsResponse(results: TopicResult[]): Buffer {
  return encodeCreateTopicsResponse(results);
}
