import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../mock-systems/kafka/protocol/api-keys.ts';
import { ErrorCode } from '../../../mock-systems/kafka/protocol/errors.ts';
import { RawClient } from '../raw-client.ts';
import { startCluster, uniqueName, type ConformanceCluster } from './cluster.ts';

interface CommitResponse {
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}

/** Kafka's default offset.metadata.max.bytes; the embedded broker's default is the same. */
const MAX_METADATA = 4096;

/** The group coordinator has not loaded yet (a fresh Kafka creates __consumer_offsets on first use). */
const COORDINATOR_NOT_READY = new Set([14, 15, 16]);

/**
 * offset.metadata.max.bytes: Kafka refuses, partition by partition, a commit whose metadata is
 * longer (OFFSET_METADATA_TOO_LARGE), stores the others of the same request, and keeps what was
 * committed before for the refused one. It counts String.length(), UTF-16 units, not bytes.
 * Raw OffsetCommit v5 (what kafkajs sends; no kafkajs call takes metadata), kafkajs to read back.
 */
describe('offset commit metadata', () => {
  let cluster: ConformanceCluster;
  let admin: Admin;
  let client: RawClient;

  beforeAll(async () => {
    cluster = await startCluster();
    admin = cluster.kafka().admin();
    await admin.connect();
    const [host, port] = cluster.brokers[0]!.split(':');
    client = await RawClient.connect(Number(port), host);
  });

  afterAll(async () => {
    client?.close();
    await admin?.disconnect();
    await cluster?.close();
  });

  /** An admin-style commit (no generation, no member), as admin.setOffsets sends it; errors by partition. */
  async function commit(groupId: string, topic: string, partitions: { partition: number; offset: number; metadata: string | null }[]): Promise<Map<number, number>> {
    for (let attempt = 0; ; attempt++) {
      const response = await client.call<CommitResponse>(ApiKey.OffsetCommit, 5, {
        groupId,
        generationId: -1,
        memberId: '',
        topics: [{ name: topic, partitions: partitions.map((p) => ({ partitionIndex: p.partition, committedOffset: p.offset, committedMetadata: p.metadata })) }],
      });
      const errors = new Map(response.topics.flatMap((t) => t.partitions.map((p) => [p.partitionIndex, p.errorCode] as const)));
      if (![...errors.values()].some((code) => COORDINATOR_NOT_READY.has(code)) || attempt === 50) return errors;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function committed(groupId: string, topic: string): Promise<Map<number, { offset: string; metadata: string | null }>> {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map(entry!.partitions.map((p) => [p.partition, { offset: p.offset, metadata: p.metadata }]));
  }

  it('refuses metadata over 4096 UTF-16 units with OFFSET_METADATA_TOO_LARGE for that partition alone', async () => {
    const topic = uniqueName('offset-metadata');
    const groupId = uniqueName('offset-metadata-group');
    await admin.createTopics({ topics: [{ topic, numPartitions: 4, replicationFactor: 1 }] });
    // kafkajs finds the coordinator (and waits for a real Kafka's to load) before the raw commits.
    await admin.fetchOffsets({ groupId, topics: [topic] });

    const atLimit = 'a'.repeat(MAX_METADATA);
    // 4096 characters of two UTF-8 bytes each: 8192 bytes, within the limit, because Kafka counts characters.
    const twoByteChars = 'é'.repeat(MAX_METADATA);
    const first = await commit(groupId, topic, [
      { partition: 0, offset: 1, metadata: atLimit },
      { partition: 1, offset: 1, metadata: twoByteChars },
      { partition: 2, offset: 1, metadata: 'first' },
    ]);
    expect(Object.fromEntries(first)).toEqual({ 0: ErrorCode.NONE, 1: ErrorCode.NONE, 2: ErrorCode.NONE });

    const second = await commit(groupId, topic, [
      { partition: 0, offset: 2, metadata: 'b'.repeat(MAX_METADATA + 1) },
      // An emoji is two UTF-16 units: 2049 of them are 4098.
      { partition: 1, offset: 2, metadata: '😀'.repeat(2049) },
      { partition: 2, offset: 2, metadata: 'second' },
      { partition: 3, offset: 2, metadata: 'c'.repeat(MAX_METADATA + 1) },
    ]);
    expect(Object.fromEntries(second)).toEqual({
      0: ErrorCode.OFFSET_METADATA_TOO_LARGE,
      1: ErrorCode.OFFSET_METADATA_TOO_LARGE,
      2: ErrorCode.NONE,
      3: ErrorCode.OFFSET_METADATA_TOO_LARGE,
    });

    // The refused partitions keep their earlier commit (or have none); the accepted one moved.
    const offsets = await committed(groupId, topic);
    expect(offsets.get(0)).toEqual({ offset: '1', metadata: atLimit });
    expect(offsets.get(1)).toEqual({ offset: '1', metadata: twoByteChars });
    expect(offsets.get(2)).toEqual({ offset: '2', metadata: 'second' });
    expect(offsets.get(3)!.offset).toBe('-1');
  });

  it('refuses the whole commit, storing nothing, when every partition is over the limit', async () => {
    const topic = uniqueName('offset-metadata-all');
    const groupId = uniqueName('offset-metadata-all-group');
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }] });
    await admin.fetchOffsets({ groupId, topics: [topic] });
    const tooLong = 'x'.repeat(MAX_METADATA + 1);
    const errors = await commit(groupId, topic, [
      { partition: 0, offset: 5, metadata: tooLong },
      { partition: 1, offset: 5, metadata: tooLong },
    ]);
    expect(Object.fromEntries(errors)).toEqual({ 0: ErrorCode.OFFSET_METADATA_TOO_LARGE, 1: ErrorCode.OFFSET_METADATA_TOO_LARGE });
    const offsets = await committed(groupId, topic);
    expect([offsets.get(0)!.offset, offsets.get(1)!.offset]).toEqual(['-1', '-1']);
  });
});
