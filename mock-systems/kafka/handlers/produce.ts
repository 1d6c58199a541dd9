import type { BrokerState } from '../broker-state.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { decodeProduceRequest, encodeProduceResponse, type ProducePartitionResult } from '../protocol/messages/produce.ts';
import type { Reader } from '../protocol/reader.ts';
import { isControlBatch, readBatchHeader, splitAndVerifyBatches } from '../protocol/record-batch.ts';

const NO_TIMESTAMP = -1;

export function handleProduce(body: Reader, _context: unknown, broker: BrokerState): Buffer | null {
  const request = decodeProduceRequest(body);
  const topics = request.topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions.map((p): ProducePartitionResult => {
      const errorCode = (code: number): ProducePartitionResult => ({
        partition: p.partition,
        errorCode: code,
        baseOffset: -1,
        logAppendTime: NO_TIMESTAMP,
      });
      if (![0, 1, -1].includes(request.acks)) return errorCode(ErrorCode.INVALID_REQUIRED_ACKS);
      // Transactions are not implemented; refusing beats pretending to honour them.
      if (request.transactionalId !== null) return errorCode(ErrorCode.INVALID_REQUEST);
      return appendToPartition(broker, topic.name, p.partition, p.records);
    }),
  }));
  return request.acks === 0 ? null : encodeProduceResponse(topics);
}

function appendToPartition(
  broker: BrokerState,
  topic: string,
  partition: number,
  records: Buffer | null,
): ProducePartitionResult {
  const result = (errorCode: number, baseOffset = -1): ProducePartitionResult => ({
    partition,
    errorCode,
    baseOffset,
    logAppendTime: NO_TIMESTAMP,
  });
  if (!broker.topics.partition(topic, partition)) return result(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  if (!broker.faults.isLeaderAvailable(topic, partition)) return result(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  if (!records || records.length === 0) return result(ErrorCode.CORRUPT_MESSAGE);

  const split = splitAndVerifyBatches(records);
  if ('problem' in split) {
    broker.logger.debug?.(`produce to ${topic}-${partition} refused: ${split.problem.message}`);
    return result(
      split.problem.kind === 'unsupported-magic' ? ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT : ErrorCode.CORRUPT_MESSAGE,
    );
  }
  // Produce v3 and later carry exactly one batch per partition.
  if (split.batches.length !== 1) return result(ErrorCode.INVALID_RECORD);
  const batch = split.batches[0]!;
  if (batch.length > broker.config.maxMessageBytes) return result(ErrorCode.MESSAGE_TOO_LARGE);
  if (broker.topics.storedBytes() + batch.length > broker.config.maxStoredBytes) return result(ErrorCode.POLICY_VIOLATION);
  const header = readBatchHeader(batch);
  if (isControlBatch(header.attributes) || (header.attributes & 0x10) !== 0) {
    return result(ErrorCode.INVALID_RECORD);
  }

  if (header.producerId >= 0) {
    const identity = {
      producerId: header.producerId,
      producerEpoch: header.producerEpoch,
      baseSequence: header.baseSequence,
      recordCount: header.recordCount,
    };
    const verdict = broker.producers.check(topic, partition, identity);
    if (verdict.kind === 'reject') return result(verdict.errorCode);
    if (verdict.kind === 'duplicate') return result(ErrorCode.NONE, verdict.baseOffset);
    const baseOffset = broker.topics.append(topic, partition, batch);
    broker.producers.recordAppend(topic, partition, identity, baseOffset);
    return result(ErrorCode.NONE, baseOffset);
  }
  return result(ErrorCode.NONE, broker.topics.append(topic, partition, batch));
}
