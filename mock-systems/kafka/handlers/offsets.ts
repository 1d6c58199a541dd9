import type { BrokerState, RequestContext } from '../broker-state.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { OffsetCommitRequestData, OffsetFetchRequestData } from '../protocol/messages/offsets.ts';
import type { Reader } from '../protocol/reader.ts';
import { readRequest, writeResponse } from './codec.ts';

export function handleOffsetCommit(body: Reader, context: RequestContext, broker: BrokerState): Buffer {
  const request = readRequest<OffsetCommitRequestData>(body, context);
  const groupError =
    request.groupId === ''
      ? ErrorCode.INVALID_GROUP_ID
      : broker.groups.commitError(request.groupId, request.memberId, request.generationId);
  const topics = request.topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions.map((p) => {
      if (groupError !== ErrorCode.NONE) return { partitionIndex: p.partitionIndex, errorCode: groupError };
      if (!broker.topics.partition(topic.name, p.partitionIndex)) {
        return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
      }
      // Kafka compares String.length(), UTF-16 units as in JavaScript, with offset.metadata.max.bytes,
      // refuses that partition alone and keeps what was committed for it before.
      if (p.committedMetadata !== null && p.committedMetadata.length > broker.config.maxOffsetMetadataBytes) {
        broker.groups.countOversizedMetadata();
        return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.OFFSET_METADATA_TOO_LARGE };
      }
      // Negative offsets are stored as given: admin.resetOffsets commits -1/-2 on purpose.
      const stored = broker.groups.commit(request.groupId, topic.name, p.partitionIndex, { offset: p.committedOffset, metadata: p.committedMetadata });
      // No room for the offset (or its group): what Kafka answers when its offsets log refuses a commit for its size.
      return { partitionIndex: p.partitionIndex, errorCode: stored ? ErrorCode.NONE : ErrorCode.INVALID_COMMIT_OFFSET_SIZE };
    }),
  }));
  return writeResponse(context, { topics });
}

const NO_METADATA = '';

interface FetchedOffset {
  partitionIndex: number;
  committedOffset: number;
  metadata: string | null;
  errorCode: number;
}

export function handleOffsetFetch(body: Reader, context: RequestContext, broker: BrokerState): Buffer {
  const request = readRequest<OffsetFetchRequestData>(body, context);
  const respond = (topics: { name: string; partitions: FetchedOffset[] }[], errorCode: number) =>
    writeResponse(context, { topics, errorCode });
  if (request.groupId === '') return respond([], ErrorCode.INVALID_GROUP_ID);
  if (request.topics === null) {
    const byTopic = new Map<string, FetchedOffset[]>();
    for (const { topic, partition, committed } of broker.groups.allCommitted(request.groupId)) {
      const list = byTopic.get(topic) ?? [];
      list.push({ partitionIndex: partition, committedOffset: committed.offset, metadata: committed.metadata ?? NO_METADATA, errorCode: ErrorCode.NONE });
      byTopic.set(topic, list);
    }
    return respond([...byTopic].map(([name, partitions]) => ({ name, partitions })), ErrorCode.NONE);
  }
  // Like Kafka (a map keyed by partition), a partition listed more than once is answered once:
  // each answer carries up to offset.metadata.max.bytes of metadata, so repeats would multiply it.
  const wanted = new Map<string, Set<number>>();
  for (const topic of request.topics) {
    const partitions = wanted.get(topic.name) ?? new Set<number>();
    for (const partition of topic.partitionIndexes) partitions.add(partition);
    wanted.set(topic.name, partitions);
  }
  const topics = [...wanted].map(([name, partitions]) => ({
    name,
    partitions: [...partitions].map((partition) => {
      const committed = broker.groups.committed(request.groupId, name, partition);
      return {
        partitionIndex: partition,
        committedOffset: committed?.offset ?? -1,
        metadata: committed?.metadata ?? NO_METADATA,
        errorCode: ErrorCode.NONE,
      };
    }),
  }));
  return respond(topics, ErrorCode.NONE);
}
