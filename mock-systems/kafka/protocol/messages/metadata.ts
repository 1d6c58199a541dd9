import type { Reader } from '../reader.ts';
import { Writer } from '../writer.ts';

/** Metadata v4. */
export interface MetadataRequest {
  /** null asks for every topic. */
  topics: string[] | null;
  allowAutoTopicCreation: boolean;
}

export function decodeMetadataRequest(reader: Reader): MetadataRequest {
  const topics = reader.readNullableArray((r) => r.readString());
  const allowAutoTopicCreation = reader.readBoolean();
  reader.expectEnd('Metadata request');
  return { topics, allowAutoTopicCreation };
}

export interface MetadataResponse {
  brokers: { nodeId: number; host: string; port: number; rack: string | null }[];
  clusterId: string | null;
  controllerId: number;
  topics: {
    errorCode: number;
    name: string;
    isInternal: boolean;
    partitions: { errorCode: number; partition: number; leader: number; replicas: number[]; isr: number[] }[];
  }[];
}

export function encodeMetadataResponse(response: MetadataResponse): Buffer {
  const w = new Writer();
  w.int32(0);
  w.array(response.brokers, (w, b) => w.int32(b.nodeId).string(b.host).int32(b.port).nullableString(b.rack));
  w.nullableString(response.clusterId);
  w.int32(response.controllerId);
  w.array(response.topics, (w, t) => {
    w.int16(t.errorCode).string(t.name).boolean(t.isInternal);
    w.array(t.partitions, (w, p) => {
      w.int16(p.errorCode).int32(p.partition).int32(p.leader);
      w.array(p.replicas, (w, id) => w.int32(id));
      w.array(p.isr, (w, id) => w.int32(id));
    });
  });
  return w.toBuffer();
}
