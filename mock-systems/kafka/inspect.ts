import type { BrokerState } from './broker-state.ts';
import { describeGroup } from './handlers/groups.ts';
import { compressionOf, decodeBatchRecords, encodeBatch, readBatchHeader, type RecordInput } from './protocol/record-batch.ts';

/** A stored record as scenarios and graders see it. */
export interface InspectedMessage {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  /** UTF-8 views of key and value, for the common case of text or JSON payloads. */
  keyText: string | null;
  valueText: string | null;
  headers: { key: string; value: Buffer | null }[];
}

export interface TopicSummary {
  name: string;
  partitions: { partition: number; earliestOffset: number; latestOffset: number; sizeInBytes: number }[];
}

/** A stored record batch as the producer framed it: how it was compressed, which offsets it holds. */
export interface BatchView {
  partition: number;
  baseOffset: number;
  lastOffset: number;
  recordCount: number;
  /** The batch's attributes field; bits 0–2 are the codec. */
  attributes: number;
  compression: string;
  sizeInBytes: number;
}

export interface CommittedOffsetView {
  topic: string;
  partition: number;
  offset: number;
  metadata: string | null;
}

export interface PartitionLag {
  partition: number;
  /** null when the group has no (or only a symbolic, negative) committed offset here. */
  committed: number | null;
  latestOffset: number;
  lag: number | null;
}

export interface GroupView {
  groupId: string;
  state: string;
  generationId: number;
  protocol: string;
  leaderId: string | null;
  members: { memberId: string; clientId: string; clientHost: string }[];
}

/**
 * Read-only views of broker state (topics, records, offsets, lag, groups) and a few direct
 * writes a scenario needs for setup. None of these go through the wire protocol.
 */
export class BrokerInspector {
  constructor(private readonly broker: BrokerState) {}

  topics(): TopicSummary[] {
    return this.broker.topics.names().map((name) => ({
      name,
      partitions: this.broker.topics.get(name)!.partitions.map((log, partition) => ({
        partition,
        earliestOffset: log.logStartOffset,
        latestOffset: log.logEndOffset,
        sizeInBytes: log.sizeInBytes,
      })),
    }));
  }

  batches(topic: string, partition?: number): BatchView[] {
    const stored = this.broker.topics.get(topic);
    if (!stored) throw new Error(`topic "${topic}" does not exist; known topics: ${this.broker.topics.names().join(', ') || 'none'}`);
    const partitions = partition === undefined ? stored.partitions.map((_, i) => i) : [partition];
    return partitions.flatMap((p) => {
      const log = stored.partitions[p];
      if (!log) throw new Error(`topic "${topic}" has no partition ${p} (it has ${stored.partitions.length})`);
      return log.storedBatches.map((batch) => {
        const header = readBatchHeader(batch.bytes);
        return {
          partition: p,
          baseOffset: batch.baseOffset,
          lastOffset: batch.lastOffset,
          recordCount: header.recordCount,
          attributes: header.attributes,
          compression: compressionOf(header.attributes),
          sizeInBytes: batch.bytes.length,
        };
      });
    });
  }

  messages(topic: string, partition?: number): InspectedMessage[] {
    const stored = this.broker.topics.get(topic);
    if (!stored) throw new Error(`topic "${topic}" does not exist; known topics: ${this.broker.topics.names().join(', ') || 'none'}`);
    const partitions = partition === undefined ? stored.partitions.map((_, i) => i) : [partition];
    const out: InspectedMessage[] = [];
    for (const p of partitions) {
      const log = stored.partitions[p];
      if (!log) throw new Error(`topic "${topic}" has no partition ${p} (it has ${stored.partitions.length})`);
      for (const batch of log.storedBatches) {
        for (const record of decodeBatchRecords(batch.bytes)) {
          out.push({
            topic,
            partition: p,
            offset: record.offset,
            timestamp: record.timestamp,
            key: record.key,
            value: record.value,
            keyText: record.key?.toString('utf8') ?? null,
            valueText: record.value?.toString('utf8') ?? null,
            headers: record.headers,
          });
        }
      }
    }
    return out;
  }

  groups(): string[] {
    return this.broker.groups.groupIds();
  }

  group(groupId: string): GroupView {
    const description = describeGroup(this.broker, groupId);
    const group = this.broker.groups.group(groupId);
    return {
      groupId,
      state: description.groupState,
      generationId: group?.generationId ?? -1,
      protocol: group?.protocolName ?? '',
      leaderId: group?.leaderId ?? null,
      members: description.members.map(({ memberId, clientId, clientHost }) => ({ memberId, clientId, clientHost })),
    };
  }

  groupOffsets(groupId: string): CommittedOffsetView[] {
    return this.broker.groups
      .allCommitted(groupId)
      .map(({ topic, partition, committed }) => ({ topic, partition, offset: committed.offset, metadata: committed.metadata }))
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }

  lag(groupId: string, topic: string): { total: number; partitions: PartitionLag[] } {
    const stored = this.broker.topics.get(topic);
    if (!stored) throw new Error(`topic "${topic}" does not exist`);
    const partitions = stored.partitions.map((log, partition): PartitionLag => {
      const committed = this.broker.groups.committed(groupId, topic, partition)?.offset;
      const real = committed !== undefined && committed >= 0 ? committed : null;
      return {
        partition,
        committed: real,
        latestOffset: log.logEndOffset,
        lag: real === null ? null : Math.max(0, log.logEndOffset - real),
      };
    });
    return { total: partitions.reduce((sum, p) => sum + (p.lag ?? 0), 0), partitions };
  }

  createTopic(name: string, partitions = this.broker.config.defaultPartitions): void {
    if (this.broker.topics.get(name)) throw new Error(`topic "${name}" already exists`);
    this.broker.topics.create(name, partitions);
  }

  /** Appends records directly, as if a plain (non-idempotent) producer had sent them. */
  append(topic: string, partition: number, records: RecordInput[]): number {
    if (!this.broker.topics.partition(topic, partition)) {
      throw new Error(`no partition ${partition} in topic "${topic}"; create the topic first`);
    }
    return this.broker.topics.append(topic, partition, encodeBatch(records));
  }
}
