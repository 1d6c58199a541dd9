import type { BrokerState, RequestContext } from '../broker-state.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, type ListOffsetsRequestData } from '../protocol/messages/list-offsets.ts';
import type { Reader } from '../protocol/reader.ts';
import { readRequest, writeResponse } from './codec.ts';

export function handleListOffsets(body: Reader, context: RequestContext, broker: BrokerState): Buffer {
  const request = readRequest<ListOffsetsRequestData>(body, context);
  const topics = request.topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions.map((p) => {
      const answer = (errorCode: number, offset = -1, timestamp = -1) => ({
        partitionIndex: p.partitionIndex,
        errorCode,
        timestamp,
        offset,
        // v0 answers with a list; Kafka gives the one offset asked for, or none.
        oldStyleOffsets: offset >= 0 && p.maxNumOffsets > 0 ? [offset] : [],
        leaderEpoch: errorCode === ErrorCode.NONE && offset >= 0 ? 0 : -1,
      });
      const log = broker.topics.partition(topic.name, p.partitionIndex);
      if (!log) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      if (!broker.faults.isLeaderAvailable(topic.name, p.partitionIndex)) return answer(ErrorCode.NOT_LEADER_OR_FOLLOWER);
      if (p.timestamp === LATEST_TIMESTAMP) return answer(ErrorCode.NONE, log.highWatermark);
      if (p.timestamp === EARLIEST_TIMESTAMP) return answer(ErrorCode.NONE, log.logStartOffset);
      const found = log.offsetForTimestamp(p.timestamp);
      return found ? answer(ErrorCode.NONE, found.offset, found.timestamp) : answer(ErrorCode.NONE);
    }),
  }));
  return writeResponse(context, { topics });
}
