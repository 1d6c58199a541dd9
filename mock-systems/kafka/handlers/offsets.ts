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
      // Negative offsets are stored as given: admin.resetOffsets commits -1/-2 on purpose.
      broker.groups.commit(request.groupId, topic.name, p.partitionIndex, { offset: p.committedOffset, metadata: p.committedMetadata });
      return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE };
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
  const topics = request.topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitionIndexes.map((partition) => {
      const committed = broker.groups.committed(request.groupId, topic.name, partition);
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
