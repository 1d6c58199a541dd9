import type { BrokerState, RequestContext } from '../broker-state.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type { ProducePartitionResult, ProduceRequestData } from '../protocol/messages/produce.ts';
import type { Reader } from '../protocol/reader.ts';
import { checkBatchRecords, isControlBatch, readBatchHeader, splitAndVerifyBatches } from '../protocol/record-batch.ts';
import { readRequest, writeResponse } from './codec.ts';

const NO_TIMESTAMP = -1;

export function handleProduce(body: Reader, context: RequestContext, broker: BrokerState): Buffer | null {
  const request = readRequest<ProduceRequestData>(body, context);
  const responses = request.topicData.map((topic) => ({
    name: topic.name,
    partitionResponses: topic.partitionData.map((p): ProducePartitionResult => {
      const refused = (errorCode: number) => result(broker, topic.name, p.index, errorCode);
      if (![0, 1, -1].includes(request.acks)) return refused(ErrorCode.INVALID_REQUIRED_ACKS);
      // Transactions are not implemented; refusing beats pretending to honour them.
      if (request.transactionalId !== null) return refused(ErrorCode.INVALID_REQUEST);
      return appendToPartition(broker, topic.name, p.index, p.records);
    }),
  }));
  return request.acks === 0 ? null : writeResponse(context, { responses });
}

function result(broker: BrokerState, topic: string, partition: number, errorCode: number, baseOffset = -1): ProducePartitionResult {
  return {
    index: partition,
    errorCode,
    baseOffset,
    logAppendTimeMs: NO_TIMESTAMP,
    logStartOffset: broker.topics.partition(topic, partition)?.logStartOffset ?? -1,
  };
}

function appendToPartition(broker: BrokerState, topic: string, partition: number, records: Buffer | null): ProducePartitionResult {
  const answer = (errorCode: number, baseOffset = -1) => result(broker, topic, partition, errorCode, baseOffset);
  if (!broker.topics.partition(topic, partition)) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  if (!broker.faults.isLeaderAvailable(topic, partition)) return answer(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  if (!records || records.length === 0) return answer(ErrorCode.CORRUPT_MESSAGE);

  const split = splitAndVerifyBatches(records);
  if ('problem' in split) {
    broker.logger.debug?.(`produce to ${topic}-${partition} refused: ${split.problem.message}`);
    return answer(split.problem.kind === 'unsupported-magic' ? ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT : ErrorCode.CORRUPT_MESSAGE);
  }
  // Produce v3 and later carry exactly one batch per partition.
  if (split.batches.length !== 1) return answer(ErrorCode.INVALID_RECORD);
  const batch = split.batches[0]!;
  if (batch.length > broker.config.maxMessageBytes) return answer(ErrorCode.MESSAGE_TOO_LARGE);
  if (broker.topics.storedBytes() + batch.length > broker.config.maxStoredBytes) return answer(ErrorCode.POLICY_VIOLATION);
  const header = readBatchHeader(batch);
  if (isControlBatch(header.attributes) || (header.attributes & 0x10) !== 0) return answer(ErrorCode.INVALID_RECORD);
  // Kafka validates the records of a batch it accepts, too; here that also bounds what a reader
  // of the topic (the grader, reading what a submission wrote) has to take.
  const recordsProblem = checkBatchRecords(batch);
  if (recordsProblem) {
    broker.logger.debug?.(`produce to ${topic}-${partition} refused: ${recordsProblem.message}`);
    return answer(recordsProblem.kind === 'too-many-headers' ? ErrorCode.INVALID_RECORD : ErrorCode.CORRUPT_MESSAGE);
  }

  if (header.producerId >= 0) {
    const identity = {
      producerId: header.producerId,
      producerEpoch: header.producerEpoch,
      baseSequence: header.baseSequence,
      recordCount: header.recordCount,
    };
    const verdict = broker.producers.check(topic, partition, identity);
    if (verdict.kind === 'reject') return answer(verdict.errorCode);
    if (verdict.kind === 'duplicate') return answer(ErrorCode.NONE, verdict.baseOffset);
    const baseOffset = broker.topics.append(topic, partition, batch);
    broker.producers.recordAppend(topic, partition, identity, baseOffset);
    return answer(ErrorCode.NONE, baseOffset);
  }
  return answer(ErrorCode.NONE, broker.topics.append(topic, partition, batch));
}
