import type { BrokerState } from '../broker-state.ts';
import { ErrorCode } from '../protocol/errors.ts';
import {
  EARLIEST_TIMESTAMP,
  LATEST_TIMESTAMP,
  decodeListOffsetsRequest,
  encodeListOffsetsResponse,
} from '../protocol/messages/list-offsets.ts';
import type { Reader } from '../protocol/reader.ts';

export function handleListOffsets(body: Reader, _context: unknown, broker: BrokerState): Buffer {
  const request = decodeListOffsetsRequest(body);
  const topics = request.topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions.map((p) => {
      const answer = (errorCode: number, offset = -1, timestamp = -1) => ({
        partition: p.partition,
        errorCode,
        timestamp,
        offset,
      });
      const log = broker.topics.partition(topic.name, p.partition);
      if (!log) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      if (!broker.faults.isLeaderAvailable(topic.name, p.partition)) return answer(ErrorCode.NOT_LEADER_OR_FOLLOWER);
      if (p.timestamp === LATEST_TIMESTAMP) return answer(ErrorCode.NONE, log.highWatermark);
      if (p.timestamp === EARLIEST_TIMESTAMP) return answer(ErrorCode.NONE, log.logStartOffset);
      const found = log.offsetForTimestamp(p.timestamp);
      return found ? answer(ErrorCode.NONE, found.offset, found.timestamp) : answer(ErrorCode.NONE);
    }),
  }));
  return encodeListOffsetsResponse(topics);
}
