import type { BrokerState, RequestContext } from '../broker-state.ts';
import { ErrorCode } from '../protocol/errors.ts';
import {
  decodeOffsetCommitRequest,
  decodeOffsetFetchRequest,
  encodeOffsetCommitResponse,
  encodeOffsetFetchResponse,
} from '../protocol/messages/offsets.ts';
import type { Reader } from '../protocol/reader.ts';

export function handleOffsetCommit(body: Reader, _context: RequestContext, broker: BrokerState): Buffer {
  const request = decodeOffsetCommitRequest(body);
  const groupError =
    request.groupId === ''
      ? ErrorCode.INVALID_GROUP_ID
      : broker.groups.commitError(request.groupId, request.memberId, request.generationId);
  const topics = request.topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions.map((p) => {
      if (groupError !== ErrorCode.NONE) return { partition: p.partition, errorCode: groupError };
      if (!broker.topics.partition(topic.name, p.partition)) {
        return { partition: p.partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
      }
      // Negative offsets are stored as given: admin.resetOffsets commits -1/-2 on purpose.
      broker.groups.commit(request.groupId, topic.name, p.partition, { offset: p.offset, metadata: p.metadata });
      return { partition: p.partition, errorCode: ErrorCode.NONE };
    }),
  }));
  return encodeOffsetCommitResponse(topics);
}

const NO_METADATA = '';

export function handleOffsetFetch(body: Reader, _context: RequestContext, broker: BrokerState): Buffer {
  const request = decodeOffsetFetchRequest(body);
  if (request.groupId === '') return encodeOffsetFetchResponse([], ErrorCode.INVALID_GROUP_ID);
  if (request.topics === null) {
    const byTopic = new Map<string, { partition: number; offset: number; metadata: string | null; errorCode: number }[]>();
    for (const { topic, partition, committed } of broker.groups.allCommitted(request.groupId)) {
      const list = byTopic.get(topic) ?? [];
      list.push({ partition, offset: committed.offset, metadata: committed.metadata ?? NO_METADATA, errorCode: ErrorCode.NONE });
      byTopic.set(topic, list);
    }
    return encodeOffsetFetchResponse(
      [...byTopic].map(([name, partitions]) => ({ name, partitions })),
      ErrorCode.NONE,
    );
  }
  const topics = request.topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions.map((partition) => {
      const committed = broker.groups.committed(request.groupId, topic.name, partition);
      return {
        partition,
        offset: committed?.offset ?? -1,
        metadata: committed?.metadata ?? NO_METADATA,
        errorCode: ErrorCode.NONE,
      };
    }),
  }));
  return encodeOffsetFetchResponse(topics, ErrorCode.NONE);
}
