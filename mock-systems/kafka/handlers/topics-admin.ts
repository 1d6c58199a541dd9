import type { BrokerState, RequestContext } from '../broker-state.ts';
import { topicNameProblem } from '../log/topic-store.ts';
import { ErrorCode } from '../protocol/errors.ts';
import type {
  CreatePartitionsRequestData,
  CreateTopicsRequestData,
  DeleteRecordsRequestData,
  DeleteTopicsRequestData,
  TopicResult,
} from '../protocol/messages/topics-admin.ts';
import type { Reader } from '../protocol/reader.ts';
import { readRequest, writeResponse } from './codec.ts';
import { topicConfigProblem, topicConfigs } from './configs.ts';

/** The offset DeleteRecords reads as "up to the high watermark". */
const DELETE_TO_HIGH_WATERMARK = -1;

export function handleCreateTopics(body: Reader, context: RequestContext, broker: BrokerState): Buffer {
  const request = readRequest<CreateTopicsRequestData>(body, context);
  const counts = new Map<string, number>();
  for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
  const topics = request.topics.map((topic) => {
    if ((counts.get(topic.name) ?? 0) > 1) {
      return fail(topic.name, ErrorCode.INVALID_REQUEST, `Create topics request from client contains multiple entries for topic ${topic.name}.`);
    }
    const checked = checkNewTopic(topic, broker);
    if ('errorCode' in checked) return checked;
    if (!request.validateOnly) {
      broker.topics.create(topic.name, checked.partitions, new Map(topic.configs.map((c) => [c.name, c.value])));
    }
    // v5+ answers with what was made, configs included (the Java admin client reads them).
    const configs = topicConfigs(broker, new Map(topic.configs.map((c) => [c.name, c.value]))).map((e) => ({
      name: e.name,
      value: e.value,
      readOnly: e.readOnly,
      configSource: e.source,
      isSensitive: false,
    }));
    return { name: topic.name, errorCode: ErrorCode.NONE, errorMessage: null, numPartitions: checked.partitions, replicationFactor: 1, configs };
  });
  return writeResponse(context, { topics });
}

function checkNewTopic(topic: CreateTopicsRequestData['topics'][number], broker: BrokerState): TopicResult | { partitions: number } {
  const nameProblem = topicNameProblem(topic.name);
  if (nameProblem) return fail(topic.name, ErrorCode.INVALID_TOPIC_EXCEPTION, nameProblem);
  if (broker.topics.get(topic.name)) {
    return fail(topic.name, ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${topic.name}' already exists.`);
  }
  for (const config of topic.configs) {
    const problem = topicConfigProblem(config.name, config.value);
    if (problem) return fail(topic.name, ErrorCode.INVALID_CONFIG, problem);
  }
  if (topic.assignments.length > 0) {
    if (topic.numPartitions !== -1 || topic.replicationFactor !== -1) {
      return fail(topic.name, ErrorCode.INVALID_REQUEST, 'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.');
    }
    const nodeId = broker.config.nodeId;
    const valid =
      topic.assignments.every((a, i) => a.partitionIndex === i) && topic.assignments.every((a) => a.brokerIds.length === 1 && a.brokerIds[0] === nodeId);
    if (!valid) {
      return fail(topic.name, ErrorCode.INVALID_REPLICA_ASSIGNMENT, `This broker is node ${nodeId} alone; each partition must be assigned to [${nodeId}], numbered from 0.`);
    }
    return { partitions: topic.assignments.length };
  }
  const partitions = topic.numPartitions === -1 ? broker.config.defaultPartitions : topic.numPartitions;
  if (partitions <= 0) return fail(topic.name, ErrorCode.INVALID_PARTITIONS, 'Number of partitions must be larger than 0.');
  const room = roomForPartitions(broker);
  if (partitions > room) return fail(topic.name, ErrorCode.INVALID_PARTITIONS, `This broker holds at most ${broker.config.maxPartitions} partitions in all; ${room} are left.`);
  if (topic.replicationFactor !== -1 && topic.replicationFactor !== 1) {
    if (topic.replicationFactor <= 0) return fail(topic.name, ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0.');
    return fail(topic.name, ErrorCode.INVALID_REPLICATION_FACTOR, `Replication factor: ${topic.replicationFactor} larger than available brokers: 1.`);
  }
  return { partitions };
}

export function handleDeleteTopics(body: Reader, context: RequestContext, broker: BrokerState): Buffer {
  const request = readRequest<DeleteTopicsRequestData>(body, context);
  // v0–v5 list names; v6 lists structs, and this broker knows topics by name only.
  const named = context.header.apiVersion >= 6 ? request.topics : request.topicNames.map((name) => ({ name, topicId: Buffer.alloc(16) }));
  const responses = named.map(({ name, topicId }) => {
    if (name === null) return { name, topicId, errorCode: ErrorCode.UNKNOWN_TOPIC_ID, errorMessage: 'This broker knows topics by name only.' };
    if (!broker.topics.delete(name)) return { name, topicId, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'This server does not host this topic-partition.' };
    broker.producers.forgetTopic(name);
    broker.groups.forgetTopic(name);
    return { name, topicId, errorCode: ErrorCode.NONE, errorMessage: null };
  });
  return writeResponse(context, { responses });
}

export function handleCreatePartitions(body: Reader, context: RequestContext, broker: BrokerState): Buffer {
  const request = readRequest<CreatePartitionsRequestData>(body, context);
  const results = request.topics.map((topic): TopicResult => {
    const existing = broker.topics.get(topic.name);
    if (!existing) return fail(topic.name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${topic.name}' does not exist.`);
    const current = existing.partitions.length;
    if (topic.count <= current) {
      return fail(topic.name, ErrorCode.INVALID_PARTITIONS, `Topic currently has ${current} partitions, which is higher than the requested ${topic.count}.`);
    }
    const assignmentProblem = checkNewPartitionAssignments(topic, current, broker.config.nodeId);
    if (assignmentProblem) return fail(topic.name, ErrorCode.INVALID_REPLICA_ASSIGNMENT, assignmentProblem);
    const room = roomForPartitions(broker);
    if (topic.count - current > room) return fail(topic.name, ErrorCode.INVALID_PARTITIONS, `This broker holds at most ${broker.config.maxPartitions} partitions in all; ${room} are left.`);
    if (!request.validateOnly) broker.topics.addPartitions(topic.name, topic.count);
    return { name: topic.name, errorCode: ErrorCode.NONE, errorMessage: null };
  });
  return writeResponse(context, { results });
}

/**
 * Kafka checks an explicit assignment for the new partitions: one entry per new partition, each
 * naming brokers that exist, no broker twice, and as many replicas as the topic has.
 */
function checkNewPartitionAssignments(topic: CreatePartitionsRequestData['topics'][number], current: number, nodeId: number): string | null {
  if (topic.assignments === null) return null;
  const added = topic.count - current;
  if (topic.assignments.length !== added) {
    return `Increasing the number of partitions by ${added} but ${topic.assignments.length} assignments provided.`;
  }
  for (const [i, { brokerIds }] of topic.assignments.entries()) {
    if (new Set(brokerIds).size !== brokerIds.length) return `Duplicate brokers not allowed in replica assignment: ${brokerIds.join(', ')} for partition id ${current + i}.`;
    const unknown = brokerIds.filter((id) => id !== nodeId);
    if (unknown.length > 0) return `Unknown broker(s) in replica assignment: ${unknown.join(', ')}.`;
    if (brokerIds.length !== 1) return `Inconsistent replication factor between partitions, partition 0 has 1 while partitions [${current + i}] have replication factors [${brokerIds.length}], respectively.`;
  }
  return null;
}

export function handleDeleteRecords(body: Reader, context: RequestContext, broker: BrokerState): Buffer {
  const request = readRequest<DeleteRecordsRequestData>(body, context);
  const topics = request.topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions.map((p) => {
      const answer = (errorCode: number, lowWatermark = -1) => ({ partitionIndex: p.partitionIndex, lowWatermark, errorCode });
      const log = broker.topics.partition(topic.name, p.partitionIndex);
      if (!log) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      if (!broker.faults.isLeaderAvailable(topic.name, p.partitionIndex)) return answer(ErrorCode.NOT_LEADER_OR_FOLLOWER);
      const offset = p.offset === DELETE_TO_HIGH_WATERMARK ? log.highWatermark : p.offset;
      if (offset < 0 || offset > log.highWatermark) return answer(ErrorCode.OFFSET_OUT_OF_RANGE);
      broker.topics.deleteRecordsBefore(topic.name, p.partitionIndex, offset);
      return answer(ErrorCode.NONE, log.logStartOffset);
    }),
  }));
  return writeResponse(context, { topics });
}

function roomForPartitions(broker: BrokerState): number {
  return Math.max(0, broker.config.maxPartitions - broker.topics.partitionCount());
}

function fail(name: string, errorCode: number, errorMessage: string): TopicResult {
  return { name, errorCode, errorMessage };
}
